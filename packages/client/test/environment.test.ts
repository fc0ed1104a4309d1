import type { ServerResponse } from 'node:http'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, type ReconnectingInfo, type SSEClient } from '@ssekit/client/polyfilled'
import { startServer, sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'
import { until } from './helpers.ts'

// A browser's signals, stubbed on Node's globals: `window` fires online/offline, `navigator.onLine`
// tells the state, `document` fires visibilitychange. test/browser/client.test.ts goes offline in Chromium.
let server: ScriptedServer
let client: SSEClient<any> | undefined
let path = ''
let n = 0
let win: EventTarget
let nav: { onLine: boolean }
let doc: EventTarget & { visibilityState: 'visible' | 'hidden' }

beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  path = `/environment-${++n}`
  win = new EventTarget()
  nav = { onLine: true }
  doc = Object.assign(new EventTarget(), { visibilityState: 'visible' as 'visible' | 'hidden' })
  vi.stubGlobal('window', win)
  vi.stubGlobal('navigator', nav)
  vi.stubGlobal('document', doc)
})
afterEach(async () => {
  client?.close()
  client = undefined
  vi.unstubAllGlobals()
  await server.waitForClosed()
})

const requests = () => server.requests(path)
const goOffline = () => {
  nav.onLine = false
  win.dispatchEvent(new Event('offline'))
}
const goOnline = () => {
  nav.onLine = true
  win.dispatchEvent(new Event('online'))
}
const setVisibility = (state: 'visible' | 'hidden') => {
  doc.visibilityState = state
  doc.dispatchEvent(new Event('visibilitychange'))
}

/** Each connection sends one event with an id and stays open. */
function numberedStream(): void {
  server.route(path, (request) => ({ body: [sse({ data: `c${request.index}`, id: String(request.index + 1) })], hold: true }))
}

// A long initialDelay proves "at once": a reconnection that waited for the policy would time out.
const patient = { backend: 'polyfill', retry: { initialDelay: 60_000, maxDelay: 60_000, jitter: 0 } } as const

describe('browser signals', () => {
  it('pauses while offline and reconnects at once, from the last id, when back online', async () => {
    numberedStream()
    const got: string[] = []
    client = connect(server.url(path), patient)
    client.on('message', (data) => got.push(data))
    await until(() => got.length === 1, 'the first event')
    goOffline()
    expect(client.status).toBe('paused')
    await server.waitForClosed(path)
    goOnline()
    await until(() => got.length === 2, 'the event after going online')
    expect(got).toEqual(['c0', 'c1'])
    expect(requests()[1]!.headers['last-event-id']).toBe('1')
    expect(client.status).toBe('open')
  })

  it('cuts a backoff wait short when the browser comes online', async () => {
    server.route(path, [{ status: 503 }, { body: [sse({ data: 'back' })], hold: true }])
    const seen: ReconnectingInfo[] = []
    const got: string[] = []
    client = connect(server.url(path), { ...patient, onReconnecting: (info) => void seen.push(info) })
    client.on('message', (data) => got.push(data))
    await until(() => seen.length === 1, 'the backoff')
    expect(seen[0]!.delay).toBe(60_000)
    goOnline()
    await until(() => got.length === 1, 'the event after going online')
  })

  it('a loss while offline spends no attempt: it waits for online', async () => {
    let first: ServerResponse | undefined
    server.route(path, (request, res) => {
      if (request.index > 0) return { body: [sse({ data: 'b' })], hold: true }
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(sse({ data: 'a', id: '1' }))
      first = res
    })
    nav.onLine = false
    const seen: ReconnectingInfo[] = []
    // Offline from the start: no request at all until online.
    client = connect(server.url(path), { ...patient, onReconnecting: (info) => void seen.push(info) })
    expect(client.status).toBe('paused')
    const got: string[] = []
    client.on('message', (data) => got.push(data))
    goOnline()
    await until(() => got.length === 1, 'the first event')
    // The stream ends while navigator.onLine says offline (no offline event came).
    nav.onLine = false
    first!.end()
    await until(() => client!.status === 'paused', 'the pause after the loss')
    expect(seen).toEqual([])
    goOnline()
    await until(() => got.length === 2, 'the event after going online')
    expect(requests().map((r) => r.headers['last-event-id'])).toEqual([undefined, '1'])
  })

  it("the server's retry: outlives a pause: the loss after it waits that long, not the backoff", async () => {
    server.route(path, (request) =>
      request.index === 0 ? { body: ['retry: 5000\n', sse({ data: 'a', id: '1' })], hold: true } : { body: [sse({ data: 'b', id: '2' })] },
    )
    const seen: ReconnectingInfo[] = []
    const got: string[] = []
    client = connect(server.url(path), {
      backend: 'polyfill',
      retry: { initialDelay: 10, jitter: 0 },
      onReconnecting: (info) => {
        seen.push(info)
        return false
      },
    })
    client.on('message', (data) => got.push(data))
    await until(() => got.length === 1, 'the first event')
    // The pause drops the source with no error event, which is where the client hears of retry: otherwise.
    goOffline()
    expect(client.status).toBe('paused')
    goOnline()
    await until(() => seen.length === 1, 'the loss after the pause')
    expect(got).toEqual(['a', 'b'])
    expect(seen[0]!.delay).toBe(5000)
  })

  it('pauseWhenHidden closes the connection while the page is hidden and reconnects when it shows', async () => {
    numberedStream()
    const got: string[] = []
    client = connect(server.url(path), { ...patient, pauseWhenHidden: true })
    client.on('message', (data) => got.push(data))
    await until(() => got.length === 1, 'the first event')
    setVisibility('hidden')
    expect(client.status).toBe('paused')
    await server.waitForClosed(path)
    // Offline and hidden: both must clear before reconnecting.
    goOffline()
    setVisibility('visible')
    expect(client.status).toBe('paused')
    goOnline()
    await until(() => got.length === 2, 'the event after showing')
    expect(requests()[1]!.headers['last-event-id']).toBe('1')
  })

  it('does not pause on a hidden page by default, and starts paused on a hidden page when asked', async () => {
    numberedStream()
    const got: string[] = []
    client = connect(server.url(path), patient)
    client.on('message', (data) => got.push(data))
    await until(() => got.length === 1, 'the first event')
    setVisibility('hidden')
    expect(client.status).toBe('open')
    client.close()

    doc.visibilityState = 'hidden'
    client = connect(server.url(path), { ...patient, pauseWhenHidden: true })
    expect(client.status).toBe('paused')
    setVisibility('visible')
    await server.waitForRequests(path, 2)
  })

  it('close() removes every listener it added to window and document', async () => {
    numberedStream()
    const added: string[] = []
    const removed: string[] = []
    for (const target of [win, doc]) {
      const add = target.addEventListener.bind(target)
      const remove = target.removeEventListener.bind(target)
      target.addEventListener = (type: string, listener: EventListenerOrEventListenerObject | null) => {
        added.push(type)
        add(type, listener)
      }
      target.removeEventListener = (type: string, listener: EventListenerOrEventListenerObject | null) => {
        removed.push(type)
        remove(type, listener)
      }
    }
    client = connect(server.url(path), { ...patient, pauseWhenHidden: true })
    expect(added.sort()).toEqual(['offline', 'online', 'visibilitychange'])
    client.close()
    expect(removed.sort()).toEqual(added)
    goOnline()
    setVisibility('hidden')
    setVisibility('visible')
    expect(client.status).toBe('closed')
  })
})
