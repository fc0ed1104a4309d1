import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { connect, type ClientStatus, type ErrorInfo, type ServerEvent, type SSEClient } from '@ssekit/client'
import { startServer, sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'
import { until } from './helpers.ts'

let server: ScriptedServer
let client: SSEClient<any> | undefined
let n = 0
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
afterEach(async () => {
  client?.close()
  client = undefined
  await server.waitForClosed()
})

function stream(...events: string[]): string {
  const path = `/listeners-${++n}`
  server.route(path, { body: events, hold: true })
  return server.url(path)
}

type Events = { message: string; tick: number; myEvent: { text: string }; ping: void }

describe('typed listeners', () => {
  it('delivers decoded data and the raw MessageEvent per type; on() returns its unsubscribe', async () => {
    const log: string[] = []
    const url = stream(
      sse({ event: 'tick', data: '1', id: 'a' }),
      sse({ event: 'myEvent', data: '{"text":"hi"}' }),
      sse({ data: '"plain"' }),
      sse({ event: 'tick', data: '2' }),
      sse({ event: 'ping', data: '' }),
      sse({ event: 'done', data: '0' }),
    )
    client = connect<Events & { done: number }>(url, { decode: 'json' })
    const offTick = client.on('tick', (n, event) => {
      log.push(`tick ${n} ${event.type} ${event.lastEventId} ${event.data} ${event.origin}`)
      offTick()
    })
    client.on('myEvent', (data) => log.push(`myEvent ${data.text}`))
    client.on('message', (text) => log.push(`message ${text}`))
    client.on('ping', () => log.push('ping'))
    client.on('done', () => log.push('done'))
    await until(() => log.includes('done'), 'the last event')
    expect(log).toEqual([`tick 1 tick a 1 ${server.origin}`, 'myEvent hi', 'message plain', 'ping', 'done'])
  })

  it('once() fires once; off(type, listener) and off(type) remove', async () => {
    const log: string[] = []
    client = connect<Events>(stream(...[1, 2, 3].map((i) => sse({ event: 'tick', data: String(i) })), sse({ data: '"end"' })), { decode: 'json' })
    const a = (n: number) => log.push(`a${n}`)
    const b = (n: number) => log.push(`b${n}`)
    const c = (n: number) => log.push(`c${n}`)
    client.once('tick', a)
    client.on('tick', b)
    client.on('tick', c)
    client.on('tick', (n) => {
      if (n === 1) client!.off('tick', b)
      if (n === 2) client!.off('tick')
    })
    client.on('message', () => log.push('end'))
    await until(() => log.includes('end'), 'the last event')
    // b was removed by a later listener during tick 1 after it ran: it is gone from tick 2 on.
    expect(log).toEqual(['a1', 'b1', 'c1', 'c2', 'end'])
  })

  it('removing a listener during dispatch never skips another', async () => {
    const log: string[] = []
    client = connect<Events>(stream(sse({ event: 'tick', data: '1' }), sse({ event: 'tick', data: '2' })), { decode: 'json' })
    const offFirst = client.on('tick', (n) => {
      log.push(`first${n}`)
      offFirst()
    })
    let offThird: () => void = () => {}
    client.on('tick', (n) => {
      log.push(`second${n}`)
      offThird()
    })
    offThird = client.on('tick', (n) => log.push(`third${n}`))
    client.on('tick', (n) => {
      log.push(`fourth${n}`)
      // Added during dispatch: waits for the next event.
      if (n === 1) client!.on('tick', (m) => log.push(`late${m}`))
    })
    await until(() => log.includes('fourth2'), 'the second event')
    // first removed itself: second still ran. second removed third before it ran: like the DOM, third is not called.
    expect(log).toEqual(['first1', 'second1', 'fourth1', 'second2', 'fourth2', 'late2'])
  })

  it('a listener added during dispatch waits for the next event', async () => {
    const log: string[] = []
    client = connect<Events>(stream(sse({ event: 'tick', data: '1' }), sse({ event: 'tick', data: '2' })), { decode: 'json' })
    client.on('tick', (n) => {
      log.push(`first${n}`)
      if (n === 1) client!.on('tick', (m) => log.push(`added${m}`))
    })
    client.onAny((message) => {
      log.push(`any${message.data}`)
      if (message.data === 1) client!.onAny((m) => log.push(`addedAny${m.data}`))
    })
    await until(() => log.length >= 6, 'the second event')
    expect(log).toEqual(['first1', 'any1', 'first2', 'added2', 'any2', 'addedAny2'])
  })

  it('onAny sees every received type as { type, data, id, event }, with unsubscribe', async () => {
    const got: ServerEvent<Events>[] = []
    const typed = connect<Events>(
      stream(sse({ event: 'tick', data: '1', id: '1' }), sse({ event: 'unlisted', data: '0' }), sse({ data: '"m"' }), sse({ event: 'myEvent', data: '{"text":"t"}', id: '3' })),
      { decode: 'json', events: ['tick'] },
    )
    client = typed
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
    client = connect(stream(...names.map((name) => sse({ event: name, data: `data of ${name}` })), sse({ event: 'other', data: 'x' })), { events: ['other'] })
    for (const name of names) client.on(name, (data) => log.push(`${name}: ${data}`))
    client.onAny((message) => any.push(message.type))
    await until(() => any.includes('other'), 'the last event')
    expect(log).toEqual(names.map((name) => `${name}: data of ${name}`))
    expect(any).toEqual([...names, 'other'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype.toString.call({})).toBe('[object Object]')
  })

  it('server events named open and error are events, not connection state', async () => {
    const log: string[] = []
    let opens = 0
    client = connect(stream(sse({ event: 'open', data: 'o' }), sse({ event: 'error', data: 'e' }), sse({ data: 'm' })), { onOpen: () => void opens++ })
    client.on('open', (data) => log.push(`open ${data}`))
    client.on('error', (data) => log.push(`error ${data}`))
    client.on('message', (data) => log.push(`message ${data}`))
    await until(() => log.length === 3, 'three events')
    expect(log).toEqual(['open o', 'error e', 'message m'])
    expect(opens).toBe(1)
    expect(client.status).toBe('open')
  })

  it('a throwing listener reaches onError as a ListenerError; the others still run', async () => {
    const log: string[] = []
    const errors: ErrorInfo[] = []
    client = connect(stream(sse({ data: 'x' })), { onError: (info) => void errors.push(info) })
    client.on('message', () => {
      throw new Error('listener bug')
    })
    client.on('message', (data) => log.push(data))
    await until(() => log.length === 1, 'the second listener')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.error).toMatchObject({ name: 'ListenerError', code: 'listener', type: 'message', message: expect.stringContaining('listener bug') })
    expect(errors[0]!.event!.data).toBe('x')
  })

  it('a listener added after connecting asks the live source for its type', async () => {
    const path = `/listeners-${++n}`
    const held: Array<import('node:http').ServerResponse> = []
    server.route(path, (_request, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.flushHeaders()
      held.push(res)
    })
    const log: string[] = []
    client = connect(server.url(path))
    await until(() => client!.status === 'open', 'open')
    client.on('late', (data) => log.push(data))
    held[0]!.write(sse({ event: 'late', data: 'yes', id: '5' }))
    await until(() => log.length === 1, 'the late event')
    expect(log).toEqual(['yes'])
    expect(client.lastEventId).toBe('5')
    held[0]!.end()
  })

  it('reports status and lastEventId as the connection goes', async () => {
    const statuses: ClientStatus[] = []
    const path = `/listeners-${++n}`
    server.route(path, [{ body: [sse({ data: 'a', id: '1' }), 'id: 2\n\n'] }, { body: [sse({ data: 'b' })], hold: true }])
    client = connect(server.url(path), {
      backend: 'polyfill',
      retry: { initialDelay: 0, jitter: 0 },
      onOpen: () => void statuses.push(client ? client.status : 'open'),
      onReconnecting: () => void statuses.push(client!.status),
    })
    statuses.push(client.status)
    const got: string[] = []
    client.on('message', (data) => got.push(`${data} ${client!.lastEventId}`))
    await until(() => got.length === 2, 'two events')
    expect(statuses).toEqual(['connecting', 'open', 'reconnecting', 'open'])
    // Known limit: an id on a block without data never reaches EventSource listeners, so the client
    // resumes from `1` where a lone spec EventSource would send `2`.
    expect(got).toEqual(['a 1', 'b 1'])
    expect(server.requests(path)[1]!.headers['last-event-id']).toBe('1')
    client.close()
    expect(client.status).toBe('closed')
  })
})
