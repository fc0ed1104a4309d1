import { describe, expect, it } from 'vitest'
import { connect, type ClientStatus, type ErrorInfo, type ServerEvent } from '@ssekit/client/polyfilled'
import { sse } from '../../../test/server/scripted-server.ts'
import { serverSuite, until } from './helpers.ts'

const ctx = serverSuite('listeners')

type Events = { message: string; tick: number; myEvent: { text: string }; ping: void }

describe('typed listeners', () => {
  it('delivers decoded data and the raw MessageEvent per type; on() returns its unsubscribe', async () => {
    const log: string[] = []
    const url = ctx.stream(
      sse({ event: 'tick', data: '1', id: 'a' }),
      sse({ event: 'myEvent', data: '{"text":"hi"}' }),
      sse({ data: '"plain"' }),
      sse({ event: 'tick', data: '2' }),
      sse({ event: 'ping', data: '' }),
      sse({ event: 'done', data: '0' }),
    )
    ctx.client = connect<Events & { done: number }>(url, { decode: 'json' })
    const offTick = ctx.client.on('tick', (n, event) => {
      log.push(`tick ${n} ${event.type} ${event.lastEventId} ${event.data} ${event.origin}`)
      offTick()
    })
    ctx.client.on('myEvent', (data) => log.push(`myEvent ${data.text}`))
    ctx.client.on('message', (text) => log.push(`message ${text}`))
    ctx.client.on('ping', () => log.push('ping'))
    ctx.client.on('done', () => log.push('done'))
    await until(() => log.includes('done'), 'the last event')
    expect(log).toEqual([`tick 1 tick a 1 ${ctx.server.origin}`, 'myEvent hi', 'message plain', 'ping', 'done'])
  })

  it('once() fires once; off(type, listener) and off(type) remove', async () => {
    const log: string[] = []
    ctx.client = connect<Events>(ctx.stream(...[1, 2, 3].map((i) => sse({ event: 'tick', data: String(i) })), sse({ data: '"end"' })), { decode: 'json' })
    const a = (n: number) => log.push(`a${n}`)
    const b = (n: number) => log.push(`b${n}`)
    const c = (n: number) => log.push(`c${n}`)
    ctx.client.once('tick', a)
    ctx.client.on('tick', b)
    ctx.client.on('tick', c)
    ctx.client.on('tick', (n) => {
      if (n === 1) ctx.client!.off('tick', b)
      if (n === 2) ctx.client!.off('tick')
    })
    ctx.client.on('message', () => log.push('end'))
    await until(() => log.includes('end'), 'the last event')
    // b was removed by a later listener during tick 1 after it ran: it is gone from tick 2 on.
    expect(log).toEqual(['a1', 'b1', 'c1', 'c2', 'end'])
  })

  it('removing a listener during dispatch never skips another', async () => {
    const log: string[] = []
    ctx.client = connect<Events>(ctx.stream(sse({ event: 'tick', data: '1' }), sse({ event: 'tick', data: '2' })), { decode: 'json' })
    const offFirst = ctx.client.on('tick', (n) => {
      log.push(`first${n}`)
      offFirst()
    })
    let offThird: () => void = () => {}
    ctx.client.on('tick', (n) => {
      log.push(`second${n}`)
      offThird()
    })
    offThird = ctx.client.on('tick', (n) => log.push(`third${n}`))
    ctx.client.on('tick', (n) => {
      log.push(`fourth${n}`)
      // Added during dispatch: waits for the next event.
      if (n === 1) ctx.client!.on('tick', (m) => log.push(`late${m}`))
    })
    await until(() => log.includes('fourth2'), 'the second event')
    // first removed itself: second still ran. second removed third before it ran: like the DOM, third is not called.
    expect(log).toEqual(['first1', 'second1', 'fourth1', 'second2', 'fourth2', 'late2'])
  })

  it('a listener added during dispatch waits for the next event', async () => {
    const log: string[] = []
    ctx.client = connect<Events>(ctx.stream(sse({ event: 'tick', data: '1' }), sse({ event: 'tick', data: '2' })), { decode: 'json' })
    ctx.client.on('tick', (n) => {
      log.push(`first${n}`)
      if (n === 1) ctx.client!.on('tick', (m) => log.push(`added${m}`))
    })
    ctx.client.onAny((message) => {
      log.push(`any${message.data}`)
      if (message.data === 1) ctx.client!.onAny((m) => log.push(`addedAny${m.data}`))
    })
    await until(() => log.length >= 6, 'the second event')
    expect(log).toEqual(['first1', 'any1', 'first2', 'added2', 'any2', 'addedAny2'])
  })

  it('onAny sees every received type as { type, data, id, event }, with unsubscribe', async () => {
    const got: ServerEvent<Events>[] = []
    const typed = connect<Events>(
      ctx.stream(sse({ event: 'tick', data: '1', id: '1' }), sse({ event: 'unlisted', data: '0' }), sse({ data: '"m"' }), sse({ event: 'myEvent', data: '{"text":"t"}', id: '3' })),
      { decode: 'json', events: ['tick'] },
    )
    ctx.client = typed
    typed.on('myEvent', () => {})
    const off = typed.onAny((message) => {
      got.push(message)
      if (message.type === 'myEvent') off()
    })
    await until(() => got.length === 3, 'three events')
    expect(got.map(({ type, data, id }) => ({ type, data, id }))).toEqual([
      { type: 'tick', data: 1, id: '1' },
      { type: 'message', data: 'm', id: '1' },
      { type: 'myEvent', data: { text: 't' }, id: '3' },
    ])
    expect(got[0]!.event.type).toBe('tick')
  })

  it('treats __proto__, constructor, toString, hasOwnProperty as plain event names', async () => {
    const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']
    const log: string[] = []
    const any: string[] = []
    ctx.client = connect(ctx.stream(...names.map((name) => sse({ event: name, data: `data of ${name}` })), sse({ event: 'other', data: 'x' })), { events: ['other'] })
    for (const name of names) ctx.client.on(name, (data) => log.push(`${name}: ${data}`))
    ctx.client.onAny((message) => any.push(message.type))
    await until(() => any.includes('other'), 'the last event')
    expect(log).toEqual(names.map((name) => `${name}: data of ${name}`))
    expect(any).toEqual([...names, 'other'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype.toString.call({})).toBe('[object Object]')
  })

  it('server events named open and error are events, not connection state', async () => {
    const log: string[] = []
    let opens = 0
    ctx.client = connect(ctx.stream(sse({ event: 'open', data: 'o' }), sse({ event: 'error', data: 'e' }), sse({ data: 'm' })), { onOpen: () => void opens++ })
    ctx.client.on('open', (data) => log.push(`open ${data}`))
    ctx.client.on('error', (data) => log.push(`error ${data}`))
    ctx.client.on('message', (data) => log.push(`message ${data}`))
    await until(() => log.length === 3, 'three events')
    expect(log).toEqual(['open o', 'error e', 'message m'])
    expect(opens).toBe(1)
    expect(ctx.client.status).toBe('open')
  })

  it('a throwing listener reaches onError as a ListenerError; the others still run', async () => {
    const log: string[] = []
    const errors: ErrorInfo[] = []
    ctx.client = connect(ctx.stream(sse({ data: 'x' })), { onError: (info) => void errors.push(info) })
    ctx.client.on('message', () => {
      throw new Error('listener bug')
    })
    ctx.client.on('message', (data) => log.push(data))
    await until(() => log.length === 1, 'the second listener')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.error).toMatchObject({ name: 'ListenerError', code: 'listener', type: 'message', message: expect.stringContaining('listener bug') })
    expect(errors[0]!.event!.data).toBe('x')
  })

  it('a throwing onAny listener reaches onError with the event type; listeners are called without this', async () => {
    const log: unknown[] = []
    const errors: ErrorInfo[] = []
    ctx.client = connect(ctx.stream(sse({ event: 'myEvent', data: 'y' }), sse({ data: 'end' })), { onError: (info) => void errors.push(info) })
    ctx.client.on('myEvent', function (this: unknown, data) {
      log.push(this, data)
      throw new Error('typed bug')
    })
    ctx.client.onAny(function (this: unknown, message) {
      log.push(this, message.type, arguments.length)
      if (message.type === 'myEvent') throw new Error('any bug')
    })
    await until(() => log.includes('message'), 'the last event')
    expect(log).toEqual([undefined, 'y', undefined, 'myEvent', 1, undefined, 'message', 1])
    expect(errors.map((info) => [info.error.name, (info.error as { type?: string }).type, info.event!.data])).toEqual([
      ['ListenerError', 'myEvent', 'y'],
      ['ListenerError', 'myEvent', 'y'],
    ])
    expect(errors.map((info) => info.error.message)).toEqual([expect.stringContaining('typed bug'), expect.stringContaining('any bug')])
  })

  it('a listener added after connecting asks the live source for its type', async () => {
    const path = ctx.path()
    const held: Array<import('node:http').ServerResponse> = []
    ctx.server.route(path, (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.flushHeaders()
      held.push(res)
    })
    const log: string[] = []
    ctx.client = connect(ctx.server.url(path))
    await until(() => ctx.client!.status === 'open', 'open')
    ctx.client.on('late', (data) => log.push(data))
    held[0]!.write(sse({ event: 'late', data: 'yes', id: '5' }))
    await until(() => log.length === 1, 'the late event')
    expect(log).toEqual(['yes'])
    expect(ctx.client.lastEventId).toBe('5')
    held[0]!.end()
  })

  it('reports status and lastEventId as the connection goes, never resuming worse than the polyfill (id-only blocks, unheard types)', async () => {
    const statuses: ClientStatus[] = []
    const path = ctx.path()
    // Issue 13 point 8: the last id comes on an event type nobody listens to, then on a block without data.
    const first = [sse({ data: 'a', id: '1' }), sse({ event: 'other', data: 'b', id: '2' }), 'id: 3\n\n']
    ctx.server.route(path, [{ body: first }, { body: [sse({ data: 'c' })], hold: true }])
    ctx.client = connect(ctx.server.url(path), {
      backend: 'polyfill',
      retry: { initialDelay: 0, jitter: 0 },
      onOpen: () => void statuses.push(ctx.client ? ctx.client.status : 'open'),
      onReconnecting: (info) => void statuses.push(`${ctx.client!.status} from ${info.lastEventId}` as ClientStatus),
    })
    statuses.push(ctx.client.status)
    const got: string[] = []
    ctx.client.on('message', (data) => got.push(`${data} ${ctx.client!.lastEventId}`))
    await until(() => got.length === 2, 'two events')
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting from 3', 'open'])
    // The polyfill alone would send 3: so does the client.
    expect(got).toEqual(['a 1', 'c 3'])
    expect(ctx.server.requests(path)[1]!.headers['last-event-id']).toBe('3')
    ctx.client.close()
    expect(ctx.client.status).toBe('closed')
  })
})
