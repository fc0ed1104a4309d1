import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { EventSource, type RequestHeaders } from '@ssekit/polyfill'
import { playedTransport } from './played-transport.ts'

// The `headers` option is read as fetch reads its `headers`: a plain object, pairs or a Headers;
// values of one name, in any case, joined with ", "; a pair of other than two items refused.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** The headers a source's first request carries (Accept aside). */
function sent(headers: RequestHeaders): Record<string, string> {
  const seen: Record<string, string>[] = []
  const { transport } = playedTransport()
  const source = new EventSource('http://stream.test/s', {
    headers,
    transport: (request, handlers) => {
      seen.push(request.headers)
      return transport(request, handlers)
    },
  })
  source.close()
  const { Accept, ...rest } = seen[0]!
  return rest
}

it('joins the values of one name, whatever its case, as fetch does', () => {
  expect(sent([['X-A', '1'], ['x-a', '2'], ['X-B', '3']])).toEqual({ 'X-A': '1, 2', 'X-B': '3' })
  expect(sent({ 'X-A': '1', 'x-a': '2' })).toEqual({ 'X-A': '1, 2' })
  expect(sent(new Headers([['X-A', '1'], ['x-a', '2']]))).toEqual({ 'x-a': '1, 2' })
})

it('a pair of other than two items fails the attempt with a TypeError, as fetch refuses it', async () => {
  const source = new EventSource('http://stream.test/s', { headers: [['X-A', '1', 'extra']] as unknown as RequestHeaders, transport: playedTransport().transport })
  const errors: string[] = []
  source.addEventListener('error', (event) => errors.push(`${event.error.code}: ${event.error.message.replace(/^.*?: /, '')}`))
  await vi.advanceTimersByTimeAsync(0)
  source.close()
  expect(errors).toEqual(['network: a per-attempt option threw: TypeError: a header must be a [name, value] pair'])
})
