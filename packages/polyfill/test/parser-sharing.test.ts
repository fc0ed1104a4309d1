import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

// A source lets go of its parser whenever a chunk ends between two events and takes a spare one
// with the next chunk, so sources share parsers. These tests feed sources by hand, interleaved,
// through a transport whose handlers the test holds.

const sources: EventSource[] = []
afterEach(() => sources.splice(0).forEach((source) => source.close()))

interface Fed {
  source: EventSource
  log: string[]
  /** Gives the source one chunk of its stream, as a transport would. */
  feed(chunk: string): void
}

function open(options: { maxEventBytes?: number } = {}): Fed {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { ...options, transport })
  sources.push(source)
  const log: string[] = []
  source.onmessage = (event) => log.push(`${event.lastEventId}:${event.data}`)
  source.addEventListener('t', (event) => log.push(`t ${(event as MessageEvent).data}`))
  source.onerror = (event) => log.push(`error ${(event as any).error.code}`)
  const handlers = attempts[0]!
  handlers.response(STREAM_RESPONSE)
  return { source, log, feed: (chunk) => handlers.text(chunk) }
}

describe('parsers shared between sources [memory]', () => {
  it('a source in the middle of an event keeps its own parser while others parse whole events', () => {
    const a = open()
    const b = open()
    a.feed('data: a1\n')
    b.feed('data: b1\n\n')
    b.feed('data: b2\n')
    a.feed('\n')
    b.feed('\r\n')
    a.feed('event: t\ndata: a')
    b.feed('id: 7\ndata: b3\n\n')
    a.feed('2\n\n')
    b.feed('data: b4\r\n\r\n')
    expect(a.log).toEqual([':a1', 't a2'])
    // The last event id lives in the source, not in a parser: it carries over to the next one.
    expect(b.log).toEqual([':b1', ':b2', '7:b3', '7:b4'])
  })

  it('a source that parses inside another one\'s listener gets a parser of its own', () => {
    const a = open()
    const c = open()
    a.source.addEventListener('message', (event) => {
      if (event.data === 'first') c.feed('data: c1\n\n')
    })
    a.feed('data: first\n\ndata: second\n\n')
    c.feed('data: c2\n\n')
    expect(a.log).toEqual([':first', ':second'])
    expect(c.log).toEqual([':c1', ':c2'])
  })

  it('a parser spent by an oversize event is not handed on, and maxEventBytes values do not mix', () => {
    const a = open({ maxEventBytes: 8 })
    const b = open({ maxEventBytes: 8 })
    const c = open()
    // Too large while buffered: the parser gives up (and would refuse any further chunk).
    a.feed('data: 0123456789\ndata: x\n\n')
    expect(a.log).toEqual(['error event-too-large'])
    expect(a.source.readyState).toBe(EventSource.CLOSED)
    b.feed('data: ok\n\n')
    expect(b.log).toEqual([':ok'])
    // Spare parsers with and without a size bound are not the same: neither source takes the other's.
    c.feed('data: 0123456789\ndata: more\n\n')
    b.feed('data: 0123')
    b.feed('456789')
    expect(b.log).toEqual([':ok', 'error event-too-large'])
    expect(c.log).toEqual([':0123456789\nmore'])
  })

  it('a new connection starts with no partial event of the last one', async () => {
    const { transport, attempts: handlers } = playedTransport()
    const source = new EventSource('http://stream.test/s', { transport })
    sources.push(source)
    const log: string[] = []
    source.onmessage = (event) => log.push(event.data)
    handlers[0]!.response(STREAM_RESPONSE)
    handlers[0]!.text('retry: 1\ndata: half')
    // The body ends mid-event; the source reconnects (its retry: 1 ms).
    handlers[0]!.end('eof')
    await vi.waitFor(() => expect(handlers).toHaveLength(2))
    handlers[1]!.response(STREAM_RESPONSE)
    handlers[1]!.text('\ndata: whole\n\n')
    expect(log).toEqual(['whole'])
  })
})

describe('attempt options shared between sources [memory]', () => {
  const optionsOf = (source: EventSource) => (source as unknown as { options_: object }).options_

  it('sources that set no per-attempt option hold one options object; one that sets any holds its own', () => {
    const { transport } = playedTransport()
    const plain = new EventSource('http://stream.test/s', { transport })
    const resumed = new EventSource('http://stream.test/s', { transport, withCredentials: true, lastEventId: '4' })
    const own = new EventSource('http://stream.test/s', { transport, heartbeatTimeout: 1000 })
    const defaultRecycle = new EventSource('http://stream.test/s', { transport, xhrRecycleAfter: 4_194_304 })
    sources.push(plain, resumed, own, defaultRecycle)
    expect(optionsOf(resumed)).toBe(optionsOf(plain))
    expect(optionsOf(defaultRecycle)).toBe(optionsOf(plain))
    expect(optionsOf(own)).not.toBe(optionsOf(plain))
    expect(resumed.withCredentials).toBe(true)
    expect(plain.withCredentials).toBe(false)
  })
})
