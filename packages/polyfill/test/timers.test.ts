import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { EventSource, withHeartbeat, withRequest, type Transport } from '@ssekit/polyfill'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

// What a source does with time: an attempt that cannot start fails from a task (never inside the
// constructor, where no listener can be yet), and no wait runs early however long it is asked to be.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function logOf(source: EventSource): string[] {
  const log: string[] = []
  source.addEventListener('error', (event) => log.push(`error ${event.error.code} ${source.readyState}: ${event.error.message.replace(/^.*: /, '')}`))
  return log
}

it('a request step that throws fails the attempt from a task: a listener added after the constructor hears it', async () => {
  const { transport, attempts } = playedTransport()
  let calls = 0
  const source = new EventSource('http://stream.test/s', {
    transport: withRequest(() => {
      if (calls++ === 0) throw new Error('no token yet')
    }, transport),
  })
  const log = logOf(source)
  expect(log).toEqual([])
  await vi.advanceTimersByTimeAsync(0)
  expect(log).toEqual(['error request 0: no token yet'])
  // Then the reconnection time, as for any failed attempt.
  await vi.advanceTimersByTimeAsync(2999)
  expect(attempts).toHaveLength(0)
  await vi.advanceTimersByTimeAsync(1)
  expect(attempts).toHaveLength(1)
  source.close()
})

it('a transport that throws fails the attempt from a task as well, and a heartbeat around it leaves no timer', async () => {
  const { transport: played, attempts } = playedTransport()
  let calls = 0
  const transport: Transport = (request, handlers) => {
    if (calls++ === 0) throw new Error('cannot open')
    return played(request, handlers)
  }
  const source = new EventSource('http://stream.test/s', { transport: withHeartbeat(1000, transport) })
  const log = logOf(source)
  await vi.advanceTimersByTimeAsync(0)
  expect(log).toEqual(['error network 0: cannot open'])
  // The attempt's heartbeat check went with it: one timer, the reconnection's.
  expect(vi.getTimerCount()).toBe(1)
  await vi.advanceTimersByTimeAsync(3000)
  expect(attempts).toHaveLength(1)
  source.close()
})

it('close() right after a failed start: no error event, no timer, no attempt', async () => {
  const source = new EventSource('http://stream.test/s', {
    transport: withRequest(() => {
      throw new Error('no URL')
    }, playedTransport().transport),
  })
  const log = logOf(source)
  source.close()
  await vi.advanceTimersByTimeAsync(10_000)
  expect(vi.getTimerCount()).toBe(0)
  expect(log).toEqual([])
})

it('close() inside a request step that then throws leaves no timer behind', async () => {
  const { transport, attempts } = playedTransport()
  const source: EventSource = new EventSource('http://stream.test/s', {
    transport: withRequest(({ attempt }) => {
      if (attempt === 0) return
      source.close()
      throw new Error('gave up')
    }, transport),
  })
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.end('eof')
  await vi.advanceTimersByTimeAsync(3000)
  expect(source.readyState).toBe(EventSource.CLOSED)
  expect(vi.getTimerCount()).toBe(0)
})

it('close() inside a request step, sync or while it awaits, starts no request', async () => {
  const { transport, attempts } = playedTransport()
  let release!: () => void
  const source: EventSource = new EventSource('http://stream.test/s', {
    transport: withRequest(({ attempt }) => {
      if (attempt === 1) source.close()
    }, transport),
  })
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.end('eof')
  await vi.advanceTimersByTimeAsync(3000)
  expect(source.readyState).toBe(EventSource.CLOSED)
  expect(attempts).toHaveLength(1)
  expect(vi.getTimerCount()).toBe(0)

  const pending = new EventSource('http://stream.test/t', { transport: withRequest(() => new Promise<void>((resolve) => (release = resolve)), transport) })
  pending.close()
  release()
  await vi.advanceTimersByTimeAsync(0)
  expect(attempts).toHaveLength(1)
})

it('a retry: longer than a timer can wait (2^31 - 1 ms) is waited, not run at once', async () => {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { transport })
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.text('retry: 9999999999\ndata: x\n\n')
  attempts[0]!.end('eof')
  expect(source.serverRetry).toBe(9999999999)
  await vi.advanceTimersByTimeAsync(24 * 24 * 3600_000)
  expect(attempts).toHaveLength(1)
  // It waits the longest a timer can, then reconnects.
  await vi.advanceTimersByTimeAsync(2 ** 31 - 1 - 24 * 24 * 3600_000)
  expect(attempts).toHaveLength(2)
  source.close()
})

it('a heartbeat longer than a timer can wait is a TypeError, not a timer every millisecond', () => {
  expect(() => withHeartbeat(1e10)).toThrow(/withHeartbeat: `timeout` must be a number of ms from 1 to 2147483647, got 10000000000/)
  expect(() => withHeartbeat(0)).toThrow(TypeError)
})

it('serverRetry: undefined until a retry: field, then its value, after close() too', () => {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { transport })
  expect(source.serverRetry).toBeUndefined()
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.text('retry: 1500\n\n')
  source.close()
  expect(source.serverRetry).toBe(1500)
})
