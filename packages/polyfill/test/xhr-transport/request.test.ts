import { JSDOM } from 'jsdom'
import { describe, expect, it } from 'vitest'
import { sse } from '../../../../test/server/scripted-server.ts'
import { ctx, run, useDom, useServerAndDom } from './helpers.ts'

useServerAndDom()

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('sends the request headers it is given', async () => {
    useDom()
    ctx.server.route('/headers', { body: [] })
    const t = run(ctx.server.url('/headers'), {
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': '41', 'X-Token': 't0k' },
    })
    await t.settled
    const [request] = ctx.server.requests('/headers')
    expect(request!.method).toBe('GET')
    expect(request!.headers).toMatchObject({ accept: 'text/event-stream', 'last-event-id': '41', 'x-token': 't0k' })
  })

  it('sends cookies cross-origin only with withCredentials', async () => {
    // A page on http://localhost:PORT asking http://127.0.0.1:PORT is cross-origin; the cookie
    // belongs to 127.0.0.1, so only a credentialed request carries it.
    const page = new JSDOM('', { url: ctx.server.origin.replace('127.0.0.1', 'localhost') + '/' })
    page.cookieJar.setCookieSync('sid=s3cret', ctx.server.origin + '/')
    useDom(page.window)
    ctx.server.route('/cors', {
      headers: {
        'content-type': 'text/event-stream',
        'access-control-allow-origin': page.window.location.origin,
        'access-control-allow-credentials': 'true',
      },
      body: [sse({ data: 'x' })],
    })
    try {
      const withCookies = run(ctx.server.url('/cors'), { withCredentials: true })
      expect((await withCookies.settled).kind).toBe('end')
      const without = run(ctx.server.url('/cors'), { withCredentials: false })
      expect((await without.settled).kind).toBe('end')
      const [first, second] = ctx.server.requests('/cors')
      expect(first!.headers.cookie).toBe('sid=s3cret')
      expect(second!.headers.cookie).toBeUndefined()
    } finally {
      page.window.close()
    }
  })
})
