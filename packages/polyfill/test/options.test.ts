import { afterEach, describe, expect, it } from 'vitest'
import { EventSource, type TransportRequest } from '@ssekit/polyfill'
import { playedTransport } from './played-transport.ts'

const sources: EventSource[] = []
afterEach(() => sources.splice(0).forEach((source) => source.close()))

function open(init: ConstructorParameters<typeof EventSource>[1]): { source: EventSource; requests: TransportRequest[] } {
  const requests: TransportRequest[] = []
  const { transport } = playedTransport()
  const source = new EventSource('http://stream.test/s', {
    ...init,
    transport: (request, handlers) => {
      requests.push(request)
      return transport(request, handlers)
    },
  })
  sources.push(source)
  return { source, requests }
}

describe('option checks', () => {
  it('reports a fetch given with transport: xhr before the number options that follow it', () => {
    expect(() => new EventSource('http://stream.test/s', { fetch: () => undefined as never, transport: 'xhr', heartbeatTimeout: -1 })).toThrow(
      /option `transport` must be not 'xhr' when `fetch` is given/,
    )
  })

  it('reads each option once, so a getter cannot pass the check with one value and hand over another', () => {
    let reads = 0
    const init = {
      transport: playedTransport().transport,
      get heartbeatTimeout() {
        reads++
        return reads === 1 ? 1000 : -5
      },
    }
    const source = new EventSource('http://stream.test/s', init)
    sources.push(source)
    expect(reads).toBe(1)
    expect((source as unknown as { options_: { heartbeatTimeout: number } }).options_.heartbeatTimeout).toBe(1000)
  })

  it('ignores what a page added to Object.prototype, in the options and in the headers', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.polluted = 'yes'
    try {
      const { requests } = open({ headers: { 'X-Token': 't' } })
      expect(Object.keys(requests[0]!.headers)).toEqual(['X-Token', 'Accept'])
    } finally {
      delete proto.polluted
    }
  })
})

describe('a last event id with a lone surrogate', () => {
  it('is sent with U+FFFD in its place, in the Last-Event-ID header and in the query', () => {
    const header = open({ lastEventId: 'a\uD800b' })
    expect(header.requests[0]!.headers['Last-Event-ID']).toBe('a\xEF\xBF\xBDb')
    const query = open({ lastEventId: 'a\uDC00', lastEventIdQueryParam: 'id' })
    expect(query.requests[0]!.url).toBe('http://stream.test/s?id=a%EF%BF%BD')
    // A surrogate pair stays one character.
    expect(open({ lastEventId: '\uD83D\uDE00', lastEventIdQueryParam: 'id' }).requests[0]!.url).toBe('http://stream.test/s?id=%F0%9F%98%80')
  })
})
