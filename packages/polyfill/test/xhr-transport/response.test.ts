import { describe, expect, it } from 'vitest'
import { sse } from '../../../../test/server/scripted-server.ts'
import { ctx, run, useDom, useServerAndDom } from './helpers.ts'

useServerAndDom()

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('reports the response head once, before any text', async () => {
    useDom()
    ctx.server.route('/head', {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-trace': 'abc' },
      body: [sse({ data: 'hi' })],
    })
    const t = run(ctx.server.url('/head'))
    await t.settled
    expect(t.kinds()).toEqual(['response', 'text', 'end:eof'])
    const response = t.response()
    expect(response.status).toBe(200)
    expect(response.statusText).toBe('OK')
    expect(response.contentType).toBe('text/event-stream; charset=utf-8')
    expect(response.url).toBe(ctx.server.url('/head'))
    expect(response.headers.get('X-Trace')).toBe('abc')
    expect(response.headers.get('x-missing')).toBeNull()
  })

  it('reports a non-200 status and its content type as they are', async () => {
    useDom()
    ctx.server.route('/teapot', { status: 418, headers: { 'content-type': 'text/plain' }, body: ['no'] })
    const t = run(ctx.server.url('/teapot'))
    await t.settled
    expect(t.response()).toMatchObject({ status: 418, contentType: 'text/plain' })
  })

  it('reports the final URL after a redirect', async () => {
    useDom()
    ctx.server.route('/moved', { redirect: '/final' })
    ctx.server.route('/final', { body: [sse({ data: 'x' })] })
    const t = run(ctx.server.url('/moved'))
    await t.settled
    expect(t.response().url).toBe(ctx.server.url('/final'))
  })
})
