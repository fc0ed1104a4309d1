import { EventSource as SpecLikeEventSource } from 'eventsource'
import { describe, expect, it, vi } from 'vitest'
import { EventSource as Polyfill, type FetchLike } from '@ssekit/polyfill'
import { connect, type EventSourceConstructor, type ReconnectingInfo, type SSEMessageEvent } from '@ssekit/client/polyfilled'
// The browser entry (no polyfill of its own): over a polyfill it is handed, as `/auto` installs one.
import { connect as connectPlain } from '@ssekit/client'
import { sse } from '../../../test/server/scripted-server.ts'
import { fakeClock, serverSuite, until } from './helpers.ts'

const ctx = serverSuite('backend', () => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

// "Native-like" backends: they fail for good on a non-200 response and cannot send headers. The
// `eventsource` package behaves so everywhere; the platform's own runs where it exists (Node 24
// with --experimental-eventsource, see test/run-node-release.mjs, and the Chromium suite).
const platform = (globalThis as { EventSource?: EventSourceConstructor }).EventSource
const nativeLike: Array<[string, EventSourceConstructor | undefined]> = [
  ['the eventsource package', SpecLikeEventSource],
  ["the platform's EventSource", platform && platform !== (Polyfill as unknown) ? platform : undefined],
]

describe.each(nativeLike)('over a URL-only backend: %s', (_name, Backend) => {
  it.skipIf(!Backend)('leaves a plain drop to its own reconnection (Last-Event-ID header), then re-creates it under the policy where it gives up, resuming in the query', async () => {
    fakeClock()
    const path = ctx.path()
    ctx.server.route(path, [
      // Only a named event type carries the ids: the client listens to it, not to onmessage.
      { body: [sse({ event: 'update', data: 'u5', id: '5' }), sse({ event: 'update', data: 'u7', id: '7' })] },
      { status: 500 },
      { body: [sse({ event: 'update', data: 'u8', id: '8' }), sse({ event: 'update', data: 'u9' })], hold: true },
    ])
    const seen: ReconnectingInfo[] = []
    const got: string[] = []
    ctx.client = connect(ctx.server.url(path), { backend: Backend!, retry: { initialDelay: 100, jitter: 0 }, onReconnecting: (info) => void seen.push(info) })
    ctx.client.on('update', (data) => got.push(`${data}@${ctx.client!.lastEventId}`))
    expect(ctx.client.backend).toBe('custom')

    await until(() => seen.length === 1, 'the loss at the end of the first stream')
    expect(got).toEqual(['u5@5', 'u7@7'])
    // Issue 13 point 9: the backend reconnects by itself (its own wait, 3 s by default) and sends the header.
    expect(seen[0]).toMatchObject({ attempt: 1, delay: 0, byBackend: true, lastEventId: '7', cause: { code: 'network' } })
    await vi.advanceTimersByTimeAsync(3000)
    await until(() => seen.length === 2, 'the failure on 500')
    // The backend gave up for good (CLOSED); the client re-creates it under its policy.
    expect(seen[1]).toMatchObject({ attempt: 2, delay: 200, byBackend: false, lastEventId: '7' })
    expect(seen[1]!.cause.code).toMatch(/^(http-status|unknown)$/)
    await vi.advanceTimersByTimeAsync(200)
    await until(() => got.length === 4, 'the events after resuming')
    // An event without an id keeps the last one, whatever the backend's own event says.
    expect(got.slice(2)).toEqual(['u8@8', 'u9@8'])
    expect(ctx.client.lastEventId).toBe('8')

    const requests = ctx.server.requests(path)
    expect(requests.map((r) => r.headers['last-event-id'] ?? null)).toEqual([null, '7', null])
    expect(requests.map((r) => r.url.searchParams.get('lastEventId'))).toEqual([null, null, '7'])
    // The re-created backend is the client's to drive: no reconnection of its own follows.
    await vi.advanceTimersByTimeAsync(60_000)
    expect(ctx.server.requests(path)).toHaveLength(3)
  })

  it.skipIf(!Backend)('is closed when the policy refuses even its own reconnection (retry: false)', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a', id: '1' }), 'retry: 10\n\n'] }, { body: [], hold: true }])
    let closed = ''
    ctx.client = connect(ctx.server.url(path), { backend: Backend!, retry: false, onClose: (info) => void (closed = info.reason) })
    await until(() => closed !== '', 'the give-up')
    expect(closed).toBe('give-up')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(ctx.server.requests(path)).toHaveLength(1)
  })

  it.skipIf(!Backend)('takes a custom query parameter name, or none', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a', id: 'x 1' }), 'retry: 10\n\n'] }, { status: 500 }, { body: [], hold: true }])
    ctx.client = connect(ctx.server.url(path + '?topic=t#frag'), { backend: Backend!, lastEventIdQueryParam: 'since', retry: { initialDelay: 0 } })
    await ctx.server.waitForRequests(path, 3)
    const second = ctx.server.requests(path)[2]!.url
    expect(second.searchParams.get('since')).toBe('x 1')
    expect(second.searchParams.get('topic')).toBe('t')
    ctx.client.close()

    const other = ctx.path()
    ctx.server.route(other, [{ body: [sse({ data: 'a', id: '1' }), 'retry: 10\n\n'] }, { status: 500 }, { body: [], hold: true }])
    ctx.client = connect(ctx.server.url(other), { backend: Backend!, lastEventIdQueryParam: false, retry: { initialDelay: 0 } })
    await ctx.server.waitForRequests(other, 3)
    expect(ctx.server.requests(other)[2]!.url.search).toBe('')
  })

  it.skipIf(!Backend)('starts from the lastEventId option, in the query', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [], hold: true })
    ctx.client = connect(ctx.server.url(path), { backend: Backend!, lastEventId: '41' })
    await ctx.server.waitForRequests(path, 1)
    expect(ctx.server.requests(path)[0]!.url.searchParams.get('lastEventId')).toBe('41')
  })
})

describe('over the polyfill', () => {
  it('resumes with the Last-Event-ID header, or the query parameter when asked', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ event: 'update', data: 'a', id: '3' })] }, { body: [], hold: true }])
    ctx.client = connect(ctx.server.url(path), { backend: 'polyfill', retry: { initialDelay: 0 }, events: ['update'] })
    await ctx.server.waitForRequests(path, 2)
    expect(ctx.server.requests(path)[1]!.headers['last-event-id']).toBe('3')
    expect(ctx.server.requests(path)[1]!.url.search).toBe('')
    ctx.client.close()

    const other = ctx.path()
    ctx.server.route(other, [{ body: [sse({ data: 'a', id: '4' })] }, { body: [], hold: true }])
    ctx.client = connect(ctx.server.url(other), { backend: 'polyfill', lastEventIdQueryParam: 'lastEventId', retry: { initialDelay: 0 } })
    await ctx.server.waitForRequests(other, 2)
    expect(ctx.server.requests(other)[1]!.url.searchParams.get('lastEventId')).toBe('4')
    expect(ctx.server.requests(other)[1]!.headers['last-event-id']).toBeUndefined()
  })

  it('computes headers per attempt, from the attempt and the last id (a refreshed token)', async () => {
    const path = ctx.path()
    ctx.server.route(path, (request) =>
      request.headers.authorization === `Bearer token-${request.index}`
        ? request.index === 0
          ? { body: [sse({ data: 'a', id: '1' })] }
          : { body: [sse({ data: 'b', id: '2' })], hold: true }
        : { status: 401 },
    )
    const calls: unknown[] = []
    const got: string[] = []
    ctx.client = connect(ctx.server.url(path), {
      retry: { initialDelay: 0 },
      headers: (info) => {
        calls.push({ ...info })
        return { authorization: `Bearer token-${info.attempt}` }
      },
    })
    ctx.client.on('message', (data) => got.push(data))
    await until(() => got.length === 2, 'both events')
    expect(calls).toEqual([
      { attempt: 0, lastEventId: '', url: ctx.server.url(path) },
      { attempt: 1, lastEventId: '1', url: ctx.server.url(path) },
    ])
    expect(ctx.server.requests(path)[1]!.headers['last-event-id']).toBe('1')
  })

  it('resumes with Last-Event-ID over a polyfill it was handed (the browser entry, as over `/auto`): after an end and after a 500', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a', id: '7' })] }, { status: 500 }, { body: [sse({ data: 'b' })], hold: true }])
    const got: string[] = []
    ctx.client = connectPlain(ctx.server.url(path), { backend: Polyfill as unknown as EventSourceConstructor, retry: { initialDelay: 0 } })
    ctx.client.on('message', (data) => got.push(data))
    await until(() => got.length === 2, 'both events')
    expect(ctx.client.backend).toBe('polyfill')
    expect(ctx.server.requests(path).map((request) => request.headers['last-event-id'])).toEqual([undefined, '7', '7'])
    ctx.client.close()

    const other = ctx.path()
    ctx.server.route(other, [{ body: [sse({ data: 'a', id: '8' })] }, { body: [], hold: true }])
    ctx.client = connectPlain(ctx.server.url(other), { backend: Polyfill as unknown as EventSourceConstructor, lastEventIdQueryParam: 'from', retry: { initialDelay: 0 } })
    await ctx.server.waitForRequests(other, 2)
    expect(ctx.server.requests(other)[1]!.url.searchParams.get('from')).toBe('8')
    expect(ctx.server.requests(other)[1]!.headers['last-event-id']).toBeUndefined()
  })

  it("takes its own polyfill's events round the dispatch (target null), a handed polyfill's through it; each event once", async () => {
    for (const connectTo of [connect, connectPlain]) {
      const path = ctx.path()
      ctx.server.route(path, { body: [sse({ data: 'a', id: '1' }), sse({ event: 'tick', data: 'b', id: '2' }), sse({ event: 'open', data: 'c' })], hold: true })
      const got: Array<[string, unknown, string]> = []
      const seen = (data: string, event: SSEMessageEvent) => got.push([data, event.target, event.lastEventId])
      const opened: number[] = []
      ctx.client = connectTo(ctx.server.url(path), { backend: Polyfill as unknown as EventSourceConstructor, onOpen: (info) => void opened.push(info.attempt) })
      ctx.client.on('message', seen)
      ctx.client.on('tick', seen)
      ctx.client.on('open', seen)
      await until(() => got.length === 3, 'three events')
      // The polyfilled entry's source delivers to the client undispatched; the browser entry has no polyfill of its own.
      const target = connectTo === connect ? null : expect.any(Polyfill)
      expect(got).toEqual([
        ['a', target, '1'],
        ['b', target, '2'],
        ['c', target, '2'],
      ])
      // `open` itself still comes by dispatch.
      expect(opened).toEqual([0])
      ctx.client.close()
    }
  })

  it('passes fetch and the polyfill options through', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [sse({ data: 'a' })], hold: true })
    let fetched = 0
    const countingFetch: FetchLike = (url, init) => {
      fetched++
      return fetch(url, init as never) as never
    }
    const seen: ReconnectingInfo[] = []
    ctx.client = connect(ctx.server.url(path), { fetch: countingFetch, polyfill: { heartbeatTimeout: 50 }, retry: { initialDelay: 10_000 }, onReconnecting: (info) => void seen.push(info) })
    await until(() => seen.length === 1, 'the heartbeat timeout')
    expect(seen[0]!.cause.code).toBe('heartbeat-timeout')
    expect(fetched).toBe(1)
  })
})

describe('requestUrl per attempt', () => {
  for (const backend of ['polyfill', SpecLikeEventSource] as const) {
    it(`signs each attempt (${typeof backend === 'string' ? backend : 'URL-only backend'})`, async () => {
      const path = ctx.path()
      ctx.server.route(path, [{ body: [sse({ data: 'a', id: '9' })] }, { body: [], hold: true }])
      ctx.client = connect(ctx.server.url(path), {
        backend,
        retry: { initialDelay: 0 },
        requestUrl: ({ attempt, lastEventId, url }) => `${url}?sig=${attempt}-${lastEventId || 'none'}`,
      })
      await ctx.server.waitForRequests(path, 2)
      const [first, second] = ctx.server.requests(path)
      expect(first!.url.searchParams.get('sig')).toBe('0-none')
      expect(second!.url.searchParams.get('sig')).toBe('1-9')
    })
  }
})

describe('close() inside a per-attempt function', () => {
  for (const backend of ['polyfill', SpecLikeEventSource] as const) {
    it(`leaves no connection behind and delivers nothing more (${typeof backend === 'string' ? backend : 'URL-only backend'})`, async () => {
      const path = ctx.path()
      ctx.server.route(path, [{ body: [sse({ data: 'a', id: '1' })] }, { body: [sse({ data: 'b', id: '2' })], hold: true }])
      const got: string[] = []
      let closes = 0
      ctx.client = connect(ctx.server.url(path), {
        backend,
        retry: { initialDelay: 0 },
        // The reconnection finds no token, say, and stops the client.
        requestUrl: ({ attempt, url }) => {
          if (attempt === 1) ctx.client!.close()
          return url
        },
        onClose: () => void closes++,
      })
      ctx.client.on('message', (data) => got.push(data))
      await until(() => closes === 1, 'the close')
      expect(ctx.client.status).toBe('closed')
      // Whatever was started meanwhile must end: the suite waits for every response to close.
      await ctx.server.waitForClosed(path, 2000)
      expect(got).toEqual(['a'])
      expect(ctx.client.status).toBe('closed')
    })
  }
})

describe('choosing the backend', () => {
  it("'auto' takes the polyfill where the platform has no EventSource", () => {
    vi.stubGlobal('EventSource', undefined)
    ctx.client = connect(ctx.server.url(ctx.path()))
    expect(ctx.client.backend).toBe('polyfill')
  })

  it("'auto' takes the platform's EventSource when there is one and no option needs more", async () => {
    vi.stubGlobal('EventSource', SpecLikeEventSource)
    const path = ctx.path()
    ctx.server.route(path, { body: [], hold: true })
    ctx.client = connect(ctx.server.url(path))
    expect(ctx.client.backend).toBe('native')
    ctx.client.close()
    ctx.client = connect(ctx.server.url(path), { headers: { a: 'b' } })
    expect(ctx.client.backend).toBe('polyfill')
    ctx.client.close()
    ctx.client = connect(ctx.server.url(path), { backend: 'native' })
    expect(ctx.client.backend).toBe('native')
  })

  it('treats the polyfill installed as the global EventSource as the polyfill', () => {
    vi.stubGlobal('EventSource', Polyfill)
    ctx.client = connect(ctx.server.url(ctx.path()), { retry: false, onClose: () => {} })
    expect(ctx.client.backend).toBe('polyfill')
    ctx.client.close()
    ctx.client = connect(ctx.server.url(ctx.path()), { backend: Polyfill, onClose: () => {} })
    expect(ctx.client.backend).toBe('polyfill')
  })

  it('refuses a backend that cannot do what an option asks, naming the option', () => {
    vi.stubGlobal('EventSource', undefined)
    expect(() => connect(ctx.server.url('/x'), { backend: 'native' })).toThrow(/`backend` is 'native' but this platform has no EventSource/)
    vi.stubGlobal('EventSource', SpecLikeEventSource)
    expect(() => connect(ctx.server.url('/x'), { backend: 'native', headers: { a: 'b' } })).toThrow(/option `headers` needs the polyfill, which `backend` rules out/)
    expect(() => connect(ctx.server.url('/x'), { backend: SpecLikeEventSource, fetch: fetch as never })).toThrow(/option `fetch` needs the polyfill/)
    // Issue 12: a native backend forced together with method or body names the option.
    expect(() => connect(ctx.server.url('/x'), { backend: 'native', method: 'POST' })).toThrow(/option `method` needs the polyfill/)
    expect(() => connect(ctx.server.url('/x'), { backend: 'native', body: '{}' })).toThrow(/option `body` needs the polyfill/)
    expect(() => connect(ctx.server.url('/x'), { backend: SpecLikeEventSource, polyfill: { heartbeatTimeout: 5 } })).toThrow(TypeError)
    expect(ctx.server.requests('/x')).toEqual([])
  })
})
