import type { JSDOM } from 'jsdom'
import { describe, expect, it, vi } from 'vitest'
import { ctx, run, settleIo, takeOver, useServerAndDom } from './helpers.ts'

useServerAndDom()

/**
 * jsdom's streaming XHR with old-IE manners grafted on: `status`, `statusText` and `responseText`
 * throw before readyState 3, no `progress` events, no `responseURL`, and 204 reported as 1223.
 */
function ieLikeXhr(window: JSDOM['window'] = ctx.dom.window) {
  const Base = window.XMLHttpRequest
  const notYet = (xhr: XMLHttpRequest) => {
    if (xhr.readyState < 3) throw new Error('Unspecified error (IE: not available in this readyState)')
  }
  class IeLikeXhr extends Base {
    override get status(): number {
      notYet(this as unknown as XMLHttpRequest)
      const status = super.status
      return status === 204 ? 1223 : status
    }
    override get statusText(): string {
      notYet(this as unknown as XMLHttpRequest)
      return super.statusText
    }
    override get responseText(): string {
      notYet(this as unknown as XMLHttpRequest)
      return super.responseText
    }
    override get responseURL(): string {
      return undefined as unknown as string
    }
    override get onprogress(): XMLHttpRequest['onprogress'] {
      return null
    }
    override set onprogress(_handler: XMLHttpRequest['onprogress']) {
      // IE9-class engines never fire `progress`.
    }
  }
  vi.stubGlobal('XMLHttpRequest', IeLikeXhr)
}

describe('xhrTransport on an XMLHttpRequest with old-IE quirks', () => {
  it('waits for a readable status, streams on readystatechange alone, and falls back to the request URL', async () => {
    ieLikeXhr()
    ctx.server.route('/ie-moved', { redirect: '/ie' })
    const control = takeOver(ctx.server, '/ie')
    const t = run(ctx.server.url('/ie-moved'))
    const res = await control.next()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: one\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\n'))
    expect(t.response()).toMatchObject({ status: 200, statusText: 'OK', url: ctx.server.url('/ie-moved') })
    res.write('data: two\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\ndata: two\n\n'))
    res.end()
    expect(await t.settled).toEqual({ kind: 'end', reason: 'eof' })
    expect(t.kinds().filter((k) => k !== 'text')).toEqual(['response', 'end:eof'])
  })

  it('passes no text on when abort() is called inside a response() reported together with text', async () => {
    ieLikeXhr()
    ctx.server.route('/ie-abort-in-response', { body: ['data: a\n\n'], hold: true })
    let abort = () => {}
    const t = run(ctx.server.url('/ie-abort-in-response'), {}, { response: () => abort() })
    abort = t.abort
    await vi.waitFor(() => expect(t.kinds()).toEqual(['response']))
    await ctx.server.waitForClosed('/ie-abort-in-response')
    await settleIo()
    expect(t.kinds()).toEqual(['response'])
  })

  it('reports IE\'s 1223 as 204 No Content', async () => {
    ieLikeXhr()
    ctx.server.route('/ie-204', { status: 204, headers: { 'content-type': null } })
    const t = run(ctx.server.url('/ie-204'))
    await t.settled
    expect(t.response()).toMatchObject({ status: 204, statusText: 'No Content', contentType: '' })
  })
})
