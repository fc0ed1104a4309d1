import { describe, expectTypeOf, it } from 'vitest'
import { EventSource, type EventSourceErrorEvent } from '@ssekit/polyfill'

describe('EventSource types', () => {
  it('is assignable to the DOM EventSource constructor', () => {
    const asDom = EventSource satisfies typeof globalThis.EventSource
    expectTypeOf(asDom).toExtend<typeof globalThis.EventSource>()
    expectTypeOf(new EventSource('/x')).toExtend<globalThis.EventSource>()
  })

  it('types listeners from the event map', () => {
    const source = new EventSource('/x', { headers: { authorization: 'Bearer t' } })
    source.addEventListener('error', (event) => {
      expectTypeOf(event).toEqualTypeOf<EventSourceErrorEvent>()
      expectTypeOf(event.error.code).toEqualTypeOf<
        'network' | 'http-status' | 'content-type' | 'stream-ended' | 'heartbeat-timeout' | 'event-too-large'
      >()
    })
    source.addEventListener('message', (event) => expectTypeOf(event.data).toEqualTypeOf<string>())
    source.addEventListener('myEvent', (event) => expectTypeOf(event).toEqualTypeOf<MessageEvent>())
    expectTypeOf(source.readyState).toEqualTypeOf<0 | 1 | 2>()
    expectTypeOf(source.serverRetry).toEqualTypeOf<number | undefined>()
    expectTypeOf(EventSource.OPEN).toEqualTypeOf<1>()
  })

  it('takes headers in every form fetch takes them', () => {
    new EventSource('/x', { headers: new Headers({ a: '1' }) })
    new EventSource('/x', { headers: [['a', '1']] })
    new EventSource('/x', { headers: ({ attempt }) => (attempt ? new Headers() : { a: '1' }) })
    // @ts-expect-error a header value is a string
    new EventSource('/x', { headers: { a: 1 } })
  })

  it('rejects bad options at compile time', () => {
    // @ts-expect-error heartbeatTimeout is a number of ms
    new EventSource('/x', { heartbeatTimeout: '5s' })
    // @ts-expect-error only the built-in transport names or a transport function
    new EventSource('/x', { transport: 'websocket' })
    // @ts-expect-error the URL is required
    new EventSource()
  })
})
