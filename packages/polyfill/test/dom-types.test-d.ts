import { describe, expectTypeOf, it } from 'vitest'
import { addHeaders, createFetchTransport, EventSource, withHeartbeat, withRequest, type EventSourceErrorEvent, type TransportRequest } from '@ssekit/polyfill'

describe('EventSource types', () => {
  it('is assignable to the DOM EventSource constructor', () => {
    const asDom = EventSource satisfies typeof globalThis.EventSource
    expectTypeOf(asDom).toExtend<typeof globalThis.EventSource>()
    expectTypeOf(new EventSource('/x')).toExtend<globalThis.EventSource>()
  })

  it('types listeners from the event map', () => {
    const source = new EventSource('/x', { withCredentials: true, lastEventId: '7', maxEventBytes: Infinity })
    source.addEventListener('error', (event) => {
      expectTypeOf(event).toEqualTypeOf<EventSourceErrorEvent>()
      expectTypeOf(event.error.code).toEqualTypeOf<
        'network' | 'http-status' | 'content-type' | 'stream-ended' | 'heartbeat-timeout' | 'event-too-large' | 'request'
      >()
      expectTypeOf(event.error.body).toEqualTypeOf<string | undefined>()
    })
    source.addEventListener('message', (event) => expectTypeOf(event.data).toEqualTypeOf<string>())
    source.addEventListener('myEvent', (event) => expectTypeOf(event).toEqualTypeOf<MessageEvent>())
    expectTypeOf(source.readyState).toEqualTypeOf<0 | 1 | 2>()
    expectTypeOf(source.serverRetry).toEqualTypeOf<number | undefined>()
    expectTypeOf(source.lastEventId).toEqualTypeOf<string>()
    expectTypeOf(EventSource.OPEN).toEqualTypeOf<1>()
  })

  it('types the request step: edit in place, return another, or a promise of either', () => {
    withRequest((request) => {
      expectTypeOf(request).toEqualTypeOf<TransportRequest>()
      expectTypeOf(request.attempt).toEqualTypeOf<number>()
      request.method = 'POST'
      request.body = JSON.stringify({ after: request.lastEventId })
      addHeaders(request, new Headers({ a: '1' }))
      addHeaders(request, [['a', '1']])
    })
    withRequest(async (request) => ({ ...request, url: request.url + '?signed' }))
    // @ts-expect-error a header value is a string
    addHeaders({ headers: {} }, { a: 1 })
    // @ts-expect-error the attempt number is the source's to set
    withRequest((request) => void (request.attempt = 3))
  })

  it("takes the platform's own fetch, as it is or wrapped", () => {
    createFetchTransport(fetch)
    createFetchTransport((url, init) => fetch(url, init))
  })

  it('rejects bad options at compile time', () => {
    // @ts-expect-error maxEventBytes is a number
    new EventSource('/x', { maxEventBytes: '5 MB' })
    // @ts-expect-error a transport is a function (no names any more)
    new EventSource('/x', { transport: 'xhr' })
    // @ts-expect-error the timeout is a number of ms
    withHeartbeat('5s')
    // @ts-expect-error the URL is required
    new EventSource()
  })
})
