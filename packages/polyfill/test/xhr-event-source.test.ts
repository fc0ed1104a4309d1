import { describe, expect, it, vi } from 'vitest'
import { createXhrTransport, EventSource, xhrTransport } from '@ssekit/polyfill/legacy'
import { sse } from '../../../test/server/scripted-server.ts'
import { serverAndDom } from './helpers.ts'

// The whole polyfill on the XHR transport (jsdom's streaming XMLHttpRequest, stubbed as the global
// the transport reads), with a tiny recycleAfter so the memory bound recycles the request often.

const ctx = serverAndDom()

/** Ten numbered events; each request resumes after the `Last-Event-ID` it carries. */
function routeNumbered(path: string, total: number) {
  ctx.server.route(path, (request) => {
    const after = Number(request.headers['last-event-id'] ?? 0)
    const body: Array<string | { wait: number }> = []
    for (let id = after + 1; id <= total; id++) body.push(sse({ data: `event ${id}`, id: String(id) }), { wait: 5 })
    return { body, hold: true }
  })
}

describe('EventSource on the XHR transport [extension: createXhrTransport({ recycleAfter })]', () => {
  it('delivers every event once, in order, across transparent recycles', async () => {
    vi.stubGlobal('XMLHttpRequest', ctx.dom.window.XMLHttpRequest)
    routeNumbered('/numbered', 10)
    const source = new EventSource(ctx.server.url('/numbered'), { transport: createXhrTransport({ recycleAfter: 40 }) })
    const seen: string[] = []
    const other: string[] = []
    source.onopen = () => other.push('open')
    source.onerror = () => other.push('error')
    try {
      await new Promise<void>((resolve) => {
        source.onmessage = (event) => {
          seen.push(`${event.lastEventId}:${event.data}`)
          if (seen.length === 10) resolve()
        }
      })
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1}:event ${i + 1}`))
      expect(other).toEqual(['open'])
      expect(source.readyState).toBe(EventSource.OPEN)
      const requests = ctx.server.requests('/numbered')
      expect(requests.length).toBeGreaterThan(1)
      expect(requests[0]!.headers['last-event-id']).toBeUndefined()
      for (const request of requests.slice(1)) expect(request.headers['last-event-id']).toMatch(/^\d+$/)
      // Only the newest request is still open; every recycled one was aborted.
      await vi.waitFor(() => expect(ctx.server.openResponses('/numbered')).toBe(1))
    } finally {
      source.close()
    }
    await ctx.server.waitForClosed('/numbered')
  })

  it('without a recycle, streams events as they come and reconnects when the stream ends', async () => {
    vi.stubGlobal('XMLHttpRequest', ctx.dom.window.XMLHttpRequest)
    ctx.server.route('/plain', [
      { body: [sse({ data: 'a', id: '1' }), { wait: 20 }, sse({ event: 'named', data: 'b\nc', id: '2' }), sse({ retry: 10 })] },
      { body: [sse({ data: 'd', id: '3' })], hold: true },
    ])
    const source = new EventSource(ctx.server.url('/plain'), { transport: xhrTransport })
    const log: string[] = []
    source.onopen = () => log.push('open')
    source.onerror = () => log.push(`error ${source.readyState}`)
    source.addEventListener('named', (event) => log.push(`named ${event.data}`))
    try {
      await new Promise<void>((resolve) => {
        source.onmessage = (event) => {
          log.push(`message ${event.data} ${event.lastEventId}`)
          if (event.data === 'd') resolve()
        }
      })
      expect(log).toEqual(['open', 'message a 1', 'named b\nc', 'error 0', 'open', 'message d 3'])
      expect(ctx.server.requests('/plain')[1]!.headers['last-event-id']).toBe('2')
    } finally {
      source.close()
    }
    await ctx.server.waitForClosed('/plain')
  })
})
