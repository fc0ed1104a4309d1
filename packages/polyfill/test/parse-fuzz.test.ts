import { afterEach, describe, expect, it } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

// Random streams, cut at random places and fed to three sources interleaved (so they hand parsers
// to one another), against a reference that parses each whole stream by the spec's text: every
// line ending (LF, CR, CR LF, split or not), fields with and without a space, empty events, ids
// that persist, unknown fields, a trailing partial event, and close() from inside a listener.

const sources: EventSource[] = []
afterEach(() => sources.splice(0).forEach((source) => source.close()))

/** A linear congruential generator: the same streams on every run. */
function random(seed: number): (below: number) => number {
  let state = seed
  return (below) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    return state % below
  }
}

const LINES = ['data: x', 'data:y', 'data', 'data: ', 'event: t', 'event:', 'id: 5', 'id: 6', 'id', ': c', 'retry: 10', 'bogus: z', 'dat', 'da', '', '', '', '']
const ENDINGS = ['\n', '\r', '\r\n']

/** What a listener of `message` and `t` logs for `stream`, as `type|data|lastEventId`, up to `closeAt` events. */
function reference(stream: string, closeAt: number): string[] {
  const lines = stream.split(/\r\n|\r|\n/)
  lines.pop() // the last line has no ending: it is never processed
  const log: string[] = []
  let data = ''
  let type = ''
  let id = ''
  for (const line of lines) {
    if (line === '') {
      if (data !== '') log.push(`${type || 'message'}|${data.slice(0, -1)}|${id}`)
      data = type = ''
      if (log.length === closeAt) break
    } else if (line[0] !== ':') {
      const colon = line.indexOf(':')
      const field = colon < 0 ? line : line.slice(0, colon)
      let value = colon < 0 ? '' : line.slice(colon + 1)
      if (value[0] === ' ') value = value.slice(1)
      if (field === 'data') data += `${value}\n`
      else if (field === 'event') type = value
      else if (field === 'id') id = value
    }
  }
  return log
}

function open(closeAt: number) {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { transport })
  sources.push(source)
  const log: string[] = []
  const listener = (event: Event) => {
    const message = event as MessageEvent
    log.push(`${message.type}|${message.data}|${message.lastEventId}`)
    if (log.length === closeAt) source.close()
  }
  source.addEventListener('message', listener)
  source.addEventListener('t', listener)
  attempts[0]!.response(STREAM_RESPONSE)
  return { log, feed: (chunk: string) => attempts[0]!.text(chunk) }
}

describe('parsing random streams cut at random places [fuzz]', () => {
  it('gives what the spec gives, for three sources sharing parsers', () => {
    const next = random(12345)
    for (let round = 0; round < 2000; round++) {
      const streams: string[] = []
      const chunks: string[][] = []
      const closeAt: number[] = []
      for (let s = 0; s < 3; s++) {
        let stream = ''
        for (let lines = 1 + next(30); lines > 0; lines--) stream += LINES[next(LINES.length)]! + ENDINGS[next(3)]!
        if (next(3) === 0) stream += 'data: tail'
        const cut: string[] = []
        for (let at = 0; at < stream.length; ) {
          const length = 1 + next(12)
          cut.push(stream.slice(at, at + length))
          at += length
        }
        streams.push(stream)
        chunks.push(cut)
        closeAt.push(next(4) === 0 ? 1 + next(4) : -1)
      }
      const opened = streams.map((_, s) => open(closeAt[s]!))
      const fed = [0, 0, 0]
      while (fed.some((count, s) => count < chunks[s]!.length)) {
        const s = next(3)
        if (fed[s]! < chunks[s]!.length) opened[s]!.feed(chunks[s]![fed[s]!++]!)
      }
      streams.forEach((stream, s) => {
        expect(opened[s]!.log, JSON.stringify({ stream, chunks: chunks[s], closeAt: closeAt[s] })).toEqual(reference(stream, closeAt[s]!))
      })
      sources.splice(0).forEach((source) => source.close())
    }
  })
})
