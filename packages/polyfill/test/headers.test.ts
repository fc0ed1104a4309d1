import { afterEach, beforeEach, expect, it, vi } from 'vitest'
import { addHeaders, EventSource, withRequest, type RequestHeaders } from '@ssekit/polyfill'
import { playedTransport } from './played-transport.ts'

// addHeaders reads headers as fetch reads its `headers`: a plain object, pairs or a Headers; values
// of one name, in any case, joined with ", "; a pair of other than two items refused.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** The headers `given` adds to a request that has `Accept` and `x-a` already. */
function added(given: RequestHeaders): Record<string, string> {
  const request = { headers: { Accept: 'text/event-stream', 'x-a': 'old' } as Record<string, string> }
  addHeaders(request, given)
  return request.headers
}

it('joins the values of one name, whatever its case, as fetch does, and replaces what the request had under that name', () => {
  expect(added([['X-A', '1'], ['x-a', '2'], ['X-B', '3']])).toEqual({ Accept: 'text/event-stream', 'X-A': '1, 2', 'X-B': '3' })
  expect(added({ 'X-A': '1', 'x-A': '2' })).toEqual({ Accept: 'text/event-stream', 'X-A': '1, 2' })
  expect(added(new Headers([['X-A', '1'], ['x-a', '2']]))).toEqual({ Accept: 'text/event-stream', 'x-a': '1, 2' })
  expect(added({ accept: 'application/json' })).toEqual({ 'x-a': 'old', accept: 'application/json' })
})

it('refuses a value with CR, LF or NUL with a TypeError that names the header, in every form', () => {
  expect(() => added({ 'X-Bad': 'a\r\nInjected: 1' })).toThrow(/header "X-Bad" has a NUL, CR or LF/)
  expect(() => added([['X-Bad', 'a\nb']])).toThrow(TypeError)
  expect(() => added(new Headers({ 'X-Ok': 'fine' }))).not.toThrow()
})

it('ignores what a page added to Object.prototype', () => {
  const proto = Object.prototype as Record<string, unknown>
  proto.polluted = 'yes'
  try {
    expect(added({ 'X-Token': 't' })).toEqual({ Accept: 'text/event-stream', 'x-a': 'old', 'X-Token': 't' })
  } finally {
    delete proto.polluted
  }
})

it('a pair of other than two items, in a request step, fails the attempt with a request error, as fetch refuses it', async () => {
  const { transport, attempts } = playedTransport()
  const step = withRequest((request) => addHeaders(request, [['X-A', '1', 'extra']] as unknown as RequestHeaders), transport)
  const source = new EventSource('http://stream.test/s', { transport: step })
  const errors: string[] = []
  source.addEventListener('error', (event) => errors.push(`${event.error.code}: ${event.error.message.replace(/^.*?: /, '')}`))
  await vi.advanceTimersByTimeAsync(0)
  source.close()
  expect(errors).toEqual(['request: the request step failed: a header must be a [name, value] pair'])
  expect(attempts).toHaveLength(0)
})
