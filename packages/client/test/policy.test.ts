import type { ServerResponse } from 'node:http'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { connect, type CloseInfo, type ConnectOptions, type ErrorInfo, type GiveUpInfo, type ReconnectingInfo, type SSEClient } from '@ssekit/client/polyfilled'
import { startServer, sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'
import { fakeClock, until } from './helpers.ts'

// End to end under a fake clock: the scripted server answers for real, the client's timers and
// Date are fake, so every delay is read exactly and no test sleeps.
let server: ScriptedServer
let client: SSEClient<any> | undefined
let path = ''
let n = 0
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())
beforeEach(() => {
  path = `/policy-${++n}`
  fakeClock()
  vi.spyOn(Math, 'random').mockReturnValue(0)
})
afterEach(async () => {
  client?.close()
  client = undefined
  vi.useRealTimers()
  vi.restoreAllMocks()
  await server.waitForClosed()
})

interface Recorded {
  reconnecting: ReconnectingInfo[]
  giveUp: GiveUpInfo[]
  close: CloseInfo[]
  opens: number
}

function start(options: ConnectOptions<Record<string, string>> = {}): Recorded {
  const seen: Recorded = { reconnecting: [], giveUp: [], close: [], opens: 0 }
  // The polyfill reports statuses and Retry-After; a platform EventSource (Node 24) would not.
  client = connect(server.url(path), {
    backend: 'polyfill',
    ...options,
    onOpen: () => void seen.opens++,
    onReconnecting: (info) => {
      seen.reconnecting.push(info)
      return options.onReconnecting?.(info)
    },
    onGiveUp: (info) => void seen.giveUp.push(info),
    onClose: (info) => void seen.close.push(info),
  })
  return seen
}

const requests = () => server.requests(path).length

/** Advances the fake clock to just before `delay`, checks nothing reconnected, then to `delay` and waits for the request. */
async function expectReconnectAfter(delay: number, requestCount: number): Promise<void> {
  if (delay > 0) await vi.advanceTimersByTimeAsync(delay - 1)
  expect(requests(), `no reconnection before ${delay} ms`).toBe(requestCount - 1)
  await vi.advanceTimersByTimeAsync(1)
  await until(() => requests() === requestCount, `request ${requestCount}`)
}

describe('reconnection policy, end to end with a fake clock', () => {
  it('waits the computed exponential delays, jitter included', async () => {
    vi.mocked(Math.random).mockReturnValue(0.5)
    server.route(path, [{ status: 503 }, { status: 500 }, { status: 502 }, { body: [sse({ data: 'ok' })], hold: true }])
    const seen = start({ retry: { initialDelay: 400, jitter: 0.5 } })
    const delays = [300, 600, 1200]
    for (let i = 0; i < delays.length; i++) {
      await until(() => seen.reconnecting.length === i + 1, `reconnecting #${i + 1}`)
      expect(seen.reconnecting[i]).toMatchObject({ attempt: i + 1, delay: delays[i], cause: { code: 'http-status', status: [503, 500, 502][i] } })
      expect(client!.status).toBe('reconnecting')
      await expectReconnectAfter(delays[i]!, i + 2)
    }
    await until(() => seen.opens === 1, 'open')
    expect(client!.status).toBe('open')
  })

  it('caps the delay at maxDelay', async () => {
    server.route(path, { status: 500 })
    const seen = start({ retry: { initialDelay: 1000, maxDelay: 3000, jitter: 0 } })
    for (const [i, delay] of [1000, 2000, 3000, 3000].entries()) {
      await until(() => seen.reconnecting.length === i + 1, `reconnecting #${i + 1}`)
      expect(seen.reconnecting[i]!.delay).toBe(delay)
      await expectReconnectAfter(delay, i + 2)
    }
  })

  it("keeps the server's retry: as the floor, exact and unjittered, across re-created sources", async () => {
    vi.mocked(Math.random).mockReturnValue(0.9)
    server.route(path, [{ body: ['retry: 4500\n\n', sse({ data: 'a', id: '1' })] }, { status: 500 }, { status: 500 }, { status: 500 }, { body: [], hold: true }])
    const seen = start({ retry: { initialDelay: 1000, jitter: 0.5 } })
    await until(() => seen.reconnecting.length === 1, 'reconnecting after the stream ended')
    expect(seen.reconnecting[0]).toMatchObject({ attempt: 1, delay: 4500, lastEventId: '1', cause: { code: 'stream-ended' } })
    await expectReconnectAfter(4500, 2)
    // The new source never saw `retry:`; the client remembers it.
    await until(() => seen.reconnecting.length === 2, 'reconnecting #2')
    expect(seen.reconnecting[1]!.delay).toBe(4500)
    await expectReconnectAfter(4500, 3)
    await until(() => seen.reconnecting.length === 3, 'reconnecting #3')
    // 4000 × (1 − 0.5 × 0.9) = 2200 is still under the floor.
    expect(seen.reconnecting[2]!.delay).toBe(4500)
    await expectReconnectAfter(4500, 4)
    await until(() => seen.reconnecting.length === 4, 'reconnecting #4')
    // 8000 × 0.55 = 4400 < 4500; at attempt 5: 16000 × 0.55 = 8800 would win over the floor.
    expect(seen.reconnecting[3]!.delay).toBe(4500)
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    vi.setSystemTime(Date.UTC(2026, 0, 1, 12))
    const date = () => new Date(Date.now() + 12_000).toUTCString()
    server.route(path, (request) =>
      request.index === 0
        ? { status: 503, headers: { 'retry-after': '7' } }
        : request.index === 1
          ? { status: 429, headers: { 'retry-after': date() } }
          : { body: [], hold: true },
    )
    const seen = start({ retry: { initialDelay: 1000, jitter: 0 } })
    await until(() => seen.reconnecting.length === 1, 'reconnecting #1')
    expect(seen.reconnecting[0]!.cause).toMatchObject({ code: 'http-status', status: 503, retryAfter: 7000 })
    expect(seen.reconnecting[0]!.delay).toBe(7000)
    await expectReconnectAfter(7000, 2)
    await until(() => seen.reconnecting.length === 2, 'reconnecting #2')
    expect(seen.reconnecting[1]!.cause).toMatchObject({ status: 429, retryAfter: 12_000 })
    expect(seen.reconnecting[1]!.delay).toBe(12_000)
    await expectReconnectAfter(12_000, 3)
  })

  it('gives up after maxAttempts: onGiveUp, onClose, status closed, no request afterwards', async () => {
    server.route(path, { status: 500 })
    const seen = start({ retry: { maxAttempts: 2, jitter: 0 } })
    await until(() => seen.reconnecting.length === 1, 'reconnecting #1')
    await expectReconnectAfter(1000, 2)
    await until(() => seen.reconnecting.length === 2, 'reconnecting #2')
    await expectReconnectAfter(2000, 3)
    await until(() => seen.giveUp.length === 1, 'give-up')
    expect(seen.giveUp[0]).toMatchObject({ attempt: 3, reason: 'max-attempts', cause: { status: 500 } })
    expect(seen.giveUp[0]!.error).toMatchObject({ name: 'ConnectionError', code: 'gave-up', attempt: 3, status: 500 })
    expect(seen.close).toEqual([{ reason: 'give-up', lastEventId: '', error: seen.giveUp[0]!.error }])
    expect(client!.status).toBe('closed')
    await vi.advanceTimersByTimeAsync(600_000)
    expect(requests()).toBe(3)
  })

  it('the number shorthand is maxAttempts, and false never reconnects', async () => {
    server.route(path, { status: 500 })
    const seen = start({ retry: false })
    await until(() => seen.giveUp.length === 1, 'give-up')
    expect(seen.giveUp[0]).toMatchObject({ attempt: 1, reason: 'max-attempts' })
    expect(seen.reconnecting).toEqual([])
  })

  for (const status of [204, 401, 403, 404]) {
    it(`stops at once on ${status}`, async () => {
      server.route(path, { status })
      const seen = start()
      await until(() => seen.giveUp.length === 1, 'give-up')
      expect(seen.giveUp[0]).toMatchObject({ attempt: 1, reason: 'should-reconnect', cause: { code: 'http-status', status } })
      expect(seen.reconnecting).toEqual([])
      expect(client!.status).toBe('closed')
    })
  }

  it('stops on a wrong Content-Type', async () => {
    server.route(path, { headers: { 'content-type': 'text/html' }, body: ['<p>login</p>'] })
    const seen = start()
    await until(() => seen.giveUp.length === 1, 'give-up')
    expect(seen.giveUp[0]!.cause).toMatchObject({ code: 'content-type', status: 200 })
  })

  it('shouldReconnect sees the status and can retry what the default would not', async () => {
    server.route(path, [{ status: 401 }, { body: [sse({ data: 'ok' })], hold: true }])
    const decisions: Array<number | undefined> = []
    const seen = start({
      retry: {
        jitter: 0,
        shouldReconnect: (info) => {
          decisions.push(info.cause.status)
          return info.cause.status === 401 && info.attempt === 1
        },
      },
    })
    await until(() => seen.reconnecting.length === 1, 'reconnecting')
    await expectReconnectAfter(1000, 2)
    await until(() => seen.opens === 1, 'open')
    expect(decisions).toEqual([401])
  })

  it('onReconnecting returning false gives up instead of waiting', async () => {
    server.route(path, { status: 503 })
    const seen = start({ onReconnecting: () => false })
    await until(() => seen.giveUp.length === 1, 'give-up')
    expect(seen.reconnecting).toHaveLength(1)
    expect(seen.giveUp[0]).toMatchObject({ attempt: 1, reason: 'on-reconnecting' })
    await vi.advanceTimersByTimeAsync(600_000)
    expect(requests()).toBe(1)
  })

  it('close() inside onReconnecting stops without a give-up', async () => {
    server.route(path, { status: 503 })
    const seen = start({ onReconnecting: () => client!.close() })
    await until(() => seen.close.length === 1, 'close')
    expect(seen.close[0]!.reason).toBe('close')
    expect(seen.giveUp).toEqual([])
    await vi.advanceTimersByTimeAsync(600_000)
    expect(requests()).toBe(1)
  })

  it('close() inside shouldReconnect stops for good: no hook, no request, no event afterwards', async () => {
    server.route(path, [{ body: [sse({ data: 'a' })] }, { body: [sse({ data: 'b' })], hold: true }])
    const got: string[] = []
    const seen = start({
      retry: {
        initialDelay: 0,
        shouldReconnect: () => {
          client!.close()
          return true
        },
      },
    })
    client!.on('message', (data) => got.push(data))
    await until(() => seen.close.length === 1, 'close')
    await vi.advanceTimersByTimeAsync(600_000)
    expect(client!.status).toBe('closed')
    expect(seen.reconnecting).toEqual([])
    expect(seen.close).toEqual([{ reason: 'close', lastEventId: '', error: undefined }])
    expect(requests()).toBe(1)
    expect(got).toEqual(['a'])
  })

  it('a shouldReconnect that throws reaches onError as a ListenerError, and the client gives up instead of hanging', async () => {
    server.route(path, [{ body: [sse({ data: 'a' })] }, { body: [], hold: true }])
    const errors: ErrorInfo[] = []
    const seen = start({
      retry: {
        shouldReconnect: () => {
          throw new Error('policy bug')
        },
      },
      onError: (info) => void errors.push(info),
    })
    const iterator = client![Symbol.asyncIterator]()
    expect(await iterator.next()).toMatchObject({ value: { data: 'a' } })
    await until(() => seen.close.length === 1, 'the give-up')
    expect(errors.map((info) => info.error)).toEqual([expect.objectContaining({ name: 'ListenerError', type: 'shouldReconnect', message: expect.stringContaining('policy bug') })])
    expect(seen.giveUp[0]).toMatchObject({ attempt: 1, reason: 'should-reconnect', cause: { code: 'stream-ended' } })
    expect(client!.status).toBe('closed')
    await expect(iterator.next()).rejects.toMatchObject({ name: 'ConnectionError' })
  })

  it('close() inside onGiveUp still closes as a give-up: onClose and the iterator get the ConnectionError', async () => {
    server.route(path, { status: 401 })
    const closes: CloseInfo[] = []
    client = connect(server.url(path), { backend: 'polyfill', onGiveUp: () => client!.close(), onClose: (info) => void closes.push(info) })
    const iterator = client[Symbol.asyncIterator]()
    await expect(iterator.next()).rejects.toMatchObject({ name: 'ConnectionError', status: 401 })
    expect(closes).toEqual([{ reason: 'give-up', lastEventId: '', error: expect.objectContaining({ name: 'ConnectionError' }) }])
  })

  it('a Retry-After longer than a timer can wait (2^31 − 1 ms) waits that long, not 1 ms', async () => {
    server.route(path, [{ status: 503, headers: { 'retry-after': '31536000' } }, { body: [], hold: true }])
    const seen = start()
    await until(() => seen.reconnecting.length === 1, 'reconnecting')
    expect(seen.reconnecting[0]!.delay).toBe(2 ** 31 - 1)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(requests()).toBe(1)
  })

  it('starts again at attempt 1 after a connection stayed up for resetAfter, not before', async () => {
    const held: ServerResponse[] = []
    server.route(path, (request, res) => {
      if (request.index === 0) return { status: 500 }
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.write(sse({ data: String(request.index) }))
      held.push(res)
    })
    const seen = start({ retry: { jitter: 0, resetAfter: 5000 } })
    await until(() => seen.reconnecting.length === 1, 'reconnecting #1')
    await expectReconnectAfter(1000, 2)
    await until(() => seen.opens === 1, 'open #1')
    // Up 4999 ms: not stable, the next loss is attempt 2.
    await vi.advanceTimersByTimeAsync(4999)
    held[0]!.end()
    await until(() => seen.reconnecting.length === 2, 'reconnecting #2')
    expect(seen.reconnecting[1]).toMatchObject({ attempt: 2, delay: 2000, cause: { code: 'stream-ended' } })
    await expectReconnectAfter(2000, 3)
    await until(() => seen.opens === 2, 'open #2')
    // Up 5000 ms: stable, the next loss starts again at attempt 1.
    await vi.advanceTimersByTimeAsync(5000)
    held[1]!.end()
    await until(() => seen.reconnecting.length === 3, 'reconnecting #3')
    expect(seen.reconnecting[2]).toMatchObject({ attempt: 1, delay: 1000 })
    await expectReconnectAfter(1000, 4)
    await until(() => seen.opens === 3, 'open #3')
  })

  it("never doubles up with the polyfill's own reconnection", async () => {
    // The polyfill alone would reconnect 3000 ms after the stream ends; the client closes it first.
    server.route(path, [{ body: [sse({ data: 'a' })] }, { body: [], hold: true }])
    const seen = start({ retry: { initialDelay: 10_000, jitter: 0 } })
    await until(() => seen.reconnecting.length === 1, 'reconnecting')
    await vi.advanceTimersByTimeAsync(9_999)
    expect(requests()).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    await until(() => seen.opens === 2, 'open #2')
    await vi.advanceTimersByTimeAsync(60_000)
    expect(requests()).toBe(2)
  })
})
