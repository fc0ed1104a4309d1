import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { EventSource, type Transport } from '@ssekit/polyfill'
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

it('a per-attempt option that throws fails the attempt from a task: a listener added after the constructor hears it', async () => {
  const { transport, attempts } = playedTransport()
  let calls = 0
  const source = new EventSource('http://stream.test/s', {
    transport,
    headers: () => {
      if (calls++ === 0) throw new Error('no token yet')
      return {}
    },
  })
  const log = logOf(source)
  expect(log).toEqual([])
  await vi.advanceTimersByTimeAsync(0)
  expect(log).toEqual(['error network 0: no token yet'])
  // Then the reconnection time, as for any failed attempt.
  await vi.advanceTimersByTimeAsync(2999)
  expect(attempts).toHaveLength(0)
  await vi.advanceTimersByTimeAsync(1)
  expect(attempts).toHaveLength(1)
  source.close()
})

it('a transport that throws fails the attempt from a task as well', async () => {
  const { transport: played, attempts } = playedTransport()
  let calls = 0
  const transport: Transport = (request, handlers) => {
    if (calls++ === 0) throw new Error('cannot open')
    return played(request, handlers)
  }
  const source = new EventSource('http://stream.test/s', { transport, heartbeatTimeout: 1000 })
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
    transport: playedTransport().transport,
    requestUrl: () => {
      throw new Error('no URL')
    },
  })
  const log = logOf(source)
  source.close()
  expect(vi.getTimerCount()).toBe(0)
  await vi.advanceTimersByTimeAsync(10_000)
  expect(log).toEqual([])
})

it('close() inside a per-attempt function that then throws leaves no timer behind', async () => {
  const { transport, attempts } = playedTransport()
  const source: EventSource = new EventSource('http://stream.test/s', {
    transport,
    headers: ({ attempt }) => {
      if (attempt === 0) return {}
      source.close()
      throw new Error('gave up')
    },
  })
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.end('eof')
  await vi.advanceTimersByTimeAsync(3000)
  expect(source.readyState).toBe(EventSource.CLOSED)
  expect(vi.getTimerCount()).toBe(0)
})

it('close() inside a per-attempt function starts no request', async () => {
  const { transport, attempts } = playedTransport()
  const source: EventSource = new EventSource('http://stream.test/s', {
    transport,
    requestUrl: ({ attempt, url }) => {
      if (attempt === 1) source.close()
      return url
    },
  })
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.end('eof')
  await vi.advanceTimersByTimeAsync(3000)
  expect(source.readyState).toBe(EventSource.CLOSED)
  expect(attempts).toHaveLength(1)
  expect(vi.getTimerCount()).toBe(0)
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

it('a heartbeatTimeout longer than a timer can wait arms one check, not a timer every millisecond', async () => {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { transport, heartbeatTimeout: 1e10 })
  attempts[0]!.response(STREAM_RESPONSE)
  const armed = vi.spyOn(globalThis, 'setTimeout')
  await vi.advanceTimersByTimeAsync(1000)
  expect(armed).not.toHaveBeenCalled()
  expect(source.readyState).toBe(EventSource.OPEN)
  source.close()
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
