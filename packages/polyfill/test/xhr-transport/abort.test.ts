import { describe, expect, it, vi } from 'vitest'
import { closed, ctx, run, settleIo, takeOver, useDom, useServerAndDom } from './helpers.ts'

useServerAndDom()

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('abort() right after a request that cannot be sent reports nothing', async () => {
    useDom()
    const t = run(ctx.server.url('/never'), { headers: { 'bad header': 'x' } })
    t.abort()
    await settleIo()
    expect(t.calls).toEqual([])
  })

  it('abort() stops everything: the server sees the connection close and no handler runs again', async () => {
    useDom()
    ctx.server.route('/abort', { body: ['data: a\n\n'], hold: true })
    const t = run(ctx.server.url('/abort'))
    await vi.waitFor(() => expect(t.text()).toBe('data: a\n\n'))
    expect(ctx.server.openResponses('/abort')).toBe(1)
    t.abort()
    await ctx.server.waitForClosed('/abort')
    t.abort()
    await settleIo()
    // jsdom fires readystatechange and abort synchronously inside xhr.abort(); none may get through.
    expect(t.kinds()).toEqual(['response', 'text'])
  })

  it('abort() from inside text() stops at once', async () => {
    useDom()
    const control = takeOver(ctx.server, '/abort-in-text')
    let abort = () => {}
    const t = run(ctx.server.url('/abort-in-text'), {}, { text: () => abort() })
    abort = t.abort
    const res = await control.next()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: a\n\n')
    await closed(res)
    expect(res.writableEnded).toBe(false)
    await settleIo()
    expect(t.kinds()).toEqual(['response', 'text'])
  })

  it('abort() from inside text() also cancels a recycle that was due', async () => {
    useDom()
    ctx.server.route('/abort-before-recycle', { body: ['data: a\n\n'], hold: true })
    let abort = () => {}
    const t = run(ctx.server.url('/abort-before-recycle'), { recycleAfter: 1 }, { text: () => abort() })
    abort = t.abort
    await vi.waitFor(() => expect(t.kinds()).toEqual(['response', 'text']))
    await ctx.server.waitForClosed('/abort-before-recycle')
    await settleIo()
    expect(t.kinds()).toEqual(['response', 'text'])
  })

  it('abort() from inside response() passes no text on', async () => {
    useDom()
    ctx.server.route('/abort-in-response', { status: 204, headers: { 'content-type': null } })
    let abort = () => {}
    const t = run(ctx.server.url('/abort-in-response'), {}, { response: () => abort() })
    abort = t.abort
    await vi.waitFor(() => expect(t.kinds()).toEqual(['response']))
    expect(t.response().status).toBe(204)
    await settleIo()
    expect(t.kinds()).toEqual(['response'])
  })

  it('abort() before the response arrives closes the request and reports nothing', async () => {
    useDom()
    const control = takeOver(ctx.server, '/abort-early')
    const t = run(ctx.server.url('/abort-early'))
    const res = await control.next()
    t.abort()
    await closed(res)
    await settleIo()
    expect(t.calls).toEqual([])
  })
})
