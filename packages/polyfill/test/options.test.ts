import { afterEach, describe, expect, it } from 'vitest'
import { EventSource, type TransportRequest } from '@ssekit/polyfill'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

const sources: EventSource[] = []
afterEach(() => sources.splice(0).forEach((source) => source.close()))

function open(init: ConstructorParameters<typeof EventSource>[1]): { source: EventSource; requests: TransportRequest[]; played: ReturnType<typeof playedTransport> } {
  const requests: TransportRequest[] = []
  const played = playedTransport()
  const source = new EventSource('http://stream.test/s', {
    ...init,
    transport: (request, handlers) => {
      requests.push(request)
      return played.transport(request, handlers)
    },
  })
  sources.push(source)
  return { source, requests, played }
}

describe('option checks', () => {
  it('reads each option once, so a getter cannot pass the check with one value and hand over another', () => {
    let reads = 0
    const init = {
      transport: playedTransport().transport,
      get maxEventBytes() {
        reads++
        return reads === 1 ? 1000 : -5
      },
    }
    const source = new EventSource('http://stream.test/s', init)
    sources.push(source)
    expect(reads).toBe(1)
    expect((source as unknown as { maxEventBytes_: number }).maxEventBytes_).toBe(1000)
  })

  it('refuses a lastEventId a header cannot carry, with a TypeError that names it', () => {
    for (const id of ['a\nb', 'a\rb', 'a\0b', 'a\uD800', '\uDC00b']) {
      expect(() => new EventSource('http://stream.test/s', { lastEventId: id })).toThrow(/option `lastEventId` must be a string without NUL, CR, LF or a lone surrogate/)
    }
    // A surrogate pair is one character.
    expect(open({ lastEventId: '\uD83D\uDE00' }).requests[0]!.headers['Last-Event-ID']).toBe('\xF0\x9F\x98\x80')
  })

  it('caps events at 4 MiB by default; Infinity turns the cap off', () => {
    const capped = open({})
    capped.played.attempts[0]!.response(STREAM_RESPONSE)
    const errors: string[] = []
    capped.source.onerror = (event) => errors.push((event as unknown as { error: { code: string } }).error.code)
    capped.played.attempts[0]!.text(`data: ${'x'.repeat(4 * 1024 * 1024 + 1)}\n\n`)
    expect(errors).toEqual(['event-too-large'])
    expect(capped.source.readyState).toBe(EventSource.CLOSED)

    const uncapped = open({ maxEventBytes: Infinity })
    uncapped.played.attempts[0]!.response(STREAM_RESPONSE)
    let length = 0
    uncapped.source.onmessage = (event) => (length = event.data.length)
    uncapped.played.attempts[0]!.text(`data: ${'x'.repeat(4 * 1024 * 1024 + 1)}\n\n`)
    expect(length).toBe(4 * 1024 * 1024 + 1)
  })
})

describe('a last event id with control characters [extension]', () => {
  it('is sent percent-encoded (the controls and %), so every header stack takes it; other ids are sent as they are', () => {
    const { requests, played } = open({ lastEventId: '50%' })
    expect(requests[0]!.headers['Last-Event-ID']).toBe('50%')
    played.attempts[0]!.response(STREAM_RESPONSE)
    played.attempts[0]!.text('retry: 0\nid: a\x01b%\x1b\x7f\tc\n\n')
    played.attempts[0]!.end('eof')
    return new Promise<void>((resolve) => {
      setTimeout(() => {
        expect(requests[1]!.headers['Last-Event-ID']).toBe('a%01b%25%1B%7F\tc')
        expect(requests[1]!.lastEventId).toBe('a\x01b%\x1b\x7f\tc')
        resolve()
      }, 20)
    })
  })
})
