import { expect, it, vi } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

// The handlers a source gives a transport belong to one attempt: whatever an attempt reports after
// the source has moved on (a new attempt, or close()) is ignored, even from a transport that breaks
// its contract and keeps calling.

it('reports from an attempt that is no longer current change nothing', async () => {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { transport })
  const log: string[] = []
  source.onopen = () => log.push('open')
  source.onmessage = (event) => log.push(`message ${event.data}`)
  source.onerror = (event) => log.push(`error ${(event as any).error.code}`)
  try {
    const first = attempts[0]!
    first.response(STREAM_RESPONSE)
    first.text('retry: 1\ndata: one\n\n')
    first.end('eof')
    await vi.waitFor(() => expect(attempts).toHaveLength(2))
    // The first attempt is over; it keeps reporting anyway.
    first.text('data: stale\n\n')
    first.error(new Error('stale'))
    first.end('eof')
    first.response(STREAM_RESPONSE)
    expect(source.readyState).toBe(EventSource.CONNECTING)
    attempts[1]!.response(STREAM_RESPONSE)
    attempts[1]!.text('data: two\n\n')
    source.close()
    attempts[1]!.text('data: after close\n\n')
    attempts[1]!.error(new Error('after close'))
    expect(log).toEqual(['open', 'message one', 'error stream-ended', 'open', 'message two'])
    expect(attempts).toHaveLength(2)
  } finally {
    source.close()
  }
})
