import { EventSource as SpecLikeEventSource } from 'eventsource'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { EventSource as Polyfill } from '@ssekit/polyfill'
import { connect, type AttemptInfo, type ClientStatus, type Connect, type DisconnectCause, type ServerEvent, type SSEClient } from '@ssekit/client'
import { connect as connectPolyfilled } from '@ssekit/client/polyfilled'
import { createXhrTransport } from '@ssekit/polyfill/legacy'
import { withHeartbeat } from '@ssekit/polyfill'

type Events = { message: string; tick: number; myEvent: { text: string }; ping: void }

describe('typed listeners', () => {
  const sse = connect<Events>('/notify', { decode: 'json' })

  it('types each event by its name', () => {
    expectTypeOf(sse).toEqualTypeOf<SSEClient<Events>>()
    sse.on('tick', (n, event) => {
      expectTypeOf(n).toEqualTypeOf<number>()
      expectTypeOf(event).toEqualTypeOf<MessageEvent<string>>()
    })
    sse.on('myEvent', (data) => expectTypeOf(data).toEqualTypeOf<{ text: string }>())
    sse.once('message', (text) => expectTypeOf(text).toEqualTypeOf<string>())
    expectTypeOf(sse.on('tick', () => {})).toEqualTypeOf<() => void>()
    expectTypeOf(sse.status).toEqualTypeOf<ClientStatus>()
    expectTypeOf(sse.lastEventId).toEqualTypeOf<string>()
  })

  it('needs no argument for an event without payload', () => {
    sse.on('ping', () => {})
    sse.on('ping', (data) => expectTypeOf(data).toEqualTypeOf<void>())
  })

  it('rejects an unknown event name', () => {
    // @ts-expect-error 'tock' is not an event of the map
    sse.on('tock', () => {})
    // @ts-expect-error not for once either
    sse.once('nope', () => {})
    // @ts-expect-error nor for off
    sse.off('nope')
  })

  it('rejects a handler for the wrong payload', () => {
    // @ts-expect-error tick carries a number
    sse.on('tick', (data: string) => data)
    // @ts-expect-error myEvent has no `title`
    sse.on('myEvent', (data) => data.title)
    // @ts-expect-error the second argument is the MessageEvent, not a string
    sse.on('message', (_data: string, event: string) => event)
    // @ts-expect-error a handler is a function
    sse.on('tick', 5)
  })

  it('onAny and for await get a union that narrows on type', async () => {
    sse.onAny((message) => {
      expectTypeOf(message).toEqualTypeOf<ServerEvent<Events>>()
      if (message.type === 'tick') expectTypeOf(message.data).toEqualTypeOf<number>()
      if (message.type === 'myEvent') expectTypeOf(message.data).toEqualTypeOf<{ text: string }>()
      expectTypeOf(message.id).toEqualTypeOf<string>()
    })
    for await (const { type, data } of sse) {
      if (type === 'message') expectTypeOf(data).toEqualTypeOf<string>()
      // @ts-expect-error 'tock' is no type of the map
      if (type === 'tock') break
    }
  })

  it('types the events option by the map', () => {
    connect<Events>('/x', { events: ['tick', 'ping'] })
    // @ts-expect-error 'tock' is no type of the map
    connect<Events>('/x', { events: ['tock'] })
  })

  it('checks a decode function against the payloads', () => {
    connect<{ a: { n: number } }>('/x', { decode: (text) => ({ n: text.length }) })
    // @ts-expect-error a string is no payload of the map
    connect<{ a: { n: number } }>('/x', { decode: (text) => text })
  })
})

describe('events typed by Standard Schema validators, with no annotation', () => {
  it('zod 4', () => {
    const sse = connect('/x', { schemas: { tick: z.number(), user: z.object({ name: z.string() }), when: z.string().transform((s) => new Date(s)) } })
    sse.on('tick', (n) => expectTypeOf(n).toEqualTypeOf<number>())
    sse.on('user', (user) => expectTypeOf(user).toEqualTypeOf<{ name: string }>())
    sse.on('when', (date) => expectTypeOf(date).toEqualTypeOf<Date>())
    // @ts-expect-error only the schemas' events exist
    sse.on('message', () => {})
    // @ts-expect-error tick is a number
    sse.on('tick', (n: string) => n)
  })

  it('valibot 1', () => {
    const sse = connect('/x', { schemas: { tick: v.number(), user: v.object({ name: v.string() }) } })
    sse.on('tick', (n) => expectTypeOf(n).toEqualTypeOf<number>())
    sse.on('user', (user) => expectTypeOf(user).toEqualTypeOf<{ name: string }>())
    // @ts-expect-error only the schemas' events exist
    sse.on('tock', () => {})
  })

  it('an explicit map must agree with its schemas', () => {
    connect<{ tick: number }>('/x', { schemas: { tick: z.number() } })
    // @ts-expect-error the schema says string, the map number
    connect<{ tick: number }>('/x', { schemas: { tick: z.string() } })
  })
})

describe('an event map declared as an interface', () => {
  interface Feed {
    post: { title: string }
    heartbeat: undefined
  }
  it('works like a type alias', () => {
    const sse = connect<Feed>('/feed', { decode: 'json' })
    sse.on('post', (post) => expectTypeOf(post.title).toEqualTypeOf<string>())
    sse.on('heartbeat', () => {})
    // @ts-expect-error not in the interface
    sse.on('comment', () => {})
  })
})

describe('defaults', () => {
  it('every event is a string without a map; unknown with json', () => {
    connect('/x').on('anything', (data) => expectTypeOf(data).toEqualTypeOf<string>())
    connect('/x', { decode: 'json' }).on('anything', (data) => expectTypeOf(data).toEqualTypeOf<unknown>())
  })
})

describe('options', () => {
  it('takes any EventSource-shaped constructor as backend', () => {
    connect('/x', { backend: globalThis.EventSource })
    connect('/x', { backend: Polyfill })
    connect('/x', { backend: SpecLikeEventSource })
    connect('/x', { backend: 'native' })
    // @ts-expect-error a function that is no EventSource constructor
    connect('/x', { backend: () => ({}) })
    // @ts-expect-error not a backend name
    connect('/x', { backend: 'websocket' })
  })

  it('hooks take one state object; onReconnecting may return false', () => {
    connect('/x', {
      retry: { maxAttempts: 5, shouldReconnect: (info) => info.cause.status !== 401 },
      onOpen: ({ attempt, lastEventId }) => {
        expectTypeOf(attempt).toEqualTypeOf<number>()
        expectTypeOf(lastEventId).toEqualTypeOf<string>()
      },
      onReconnecting: ({ attempt, delay, lastEventId, cause }) => {
        expectTypeOf(cause).toEqualTypeOf<DisconnectCause>()
        return attempt < 3 && delay < 10_000 && lastEventId !== ''
      },
      onGiveUp: ({ reason, error }) => {
        expectTypeOf(reason).toEqualTypeOf<'should-reconnect' | 'max-attempts' | 'on-reconnecting' | 'no-terminator'>()
        expectTypeOf(error.code).toEqualTypeOf<'gave-up'>()
      },
      onError: ({ error, event }) => {
        expectTypeOf(error.name).toEqualTypeOf<'DecodeError' | 'ListenerError'>()
        expectTypeOf(event).toEqualTypeOf<MessageEvent<string> | undefined>()
      },
      onClose: ({ reason }) => expectTypeOf(reason).toEqualTypeOf<'close' | 'abort' | 'give-up' | 'done'>(),
      headers: ({ attempt }) => ({ authorization: `Bearer ${attempt}` }),
    })
    connect('/x', { retry: 3 })
    connect('/x', { retry: false })
    // @ts-expect-error the hook takes one object, not positional arguments
    connect('/x', { onReconnecting: (attempt: number) => attempt > 1 })
  })
})

describe('requests and streams that finish (issue 12)', () => {
  it('both entries have the same connect()', () => {
    expectTypeOf(connect).toEqualTypeOf<Connect>()
    expectTypeOf(connectPolyfilled).toEqualTypeOf<Connect>()
  })

  it('takes method, a body or a function of the attempt, async headers, a terminator and endOfStream', () => {
    type Chat = { message: { choices: { delta: { content?: string } }[] } }
    const sse = connectPolyfilled<Chat>('/v1/chat/completions', {
      method: 'POST',
      headers: async ({ attempt }) => ({ Authorization: `Bearer ${attempt}` }),
      body: ({ lastEventId }: AttemptInfo) => JSON.stringify({ resumeAfter: lastEventId }),
      requestUrl: async ({ url }) => url,
      decode: 'json',
      terminator: { data: '[DONE]' },
      endOfStream: 'done',
      polyfill: { heartbeatTimeout: 30_000, maxEventBytes: Infinity, transport: createXhrTransport({ recycleAfter: 1 << 20 }) },
    })
    expectTypeOf(sse).toEqualTypeOf<SSEClient<Chat>>()
    connectPolyfilled('/x', { body: 'text', terminator: 'message_stop', polyfill: { transport: withHeartbeat(1000) } })
    connectPolyfilled('/x', {
      onReconnecting: ({ byBackend, cause }) => {
        expectTypeOf(byBackend).toEqualTypeOf<boolean>()
        expectTypeOf(cause.body).toEqualTypeOf<string | undefined>()
        expectTypeOf(cause.headers).toEqualTypeOf<{ get(name: string): string | null } | undefined>()
      },
      onGiveUp: ({ error }) => expectTypeOf(error.body).toEqualTypeOf<string | undefined>(),
    })
    // @ts-expect-error a terminator object names its data
    connectPolyfilled('/x', { terminator: { type: 'stop' } })
    // @ts-expect-error endOfStream is 'done' or 'reconnect'
    connectPolyfilled('/x', { endOfStream: 'close' })
    // @ts-expect-error headers give header values, not numbers
    connectPolyfilled('/x', { headers: async () => ({ 'x-n': 1 }) })
  })

  it('rejects options at the wrong level (issue 13 point 10)', () => {
    // @ts-expect-error heartbeatTimeout belongs under polyfill
    connectPolyfilled('/x', { heartbeatTimeout: 1000 })
    // @ts-expect-error maxRetries is retry.maxAttempts
    connectPolyfilled('/x', { retry: { maxRetries: 3 } })
    // @ts-expect-error xhrRecycleAfter is createXhrTransport({ recycleAfter }) from /legacy
    connectPolyfilled('/x', { polyfill: { xhrRecycleAfter: 1000 } })
  })
})
