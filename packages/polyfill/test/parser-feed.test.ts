import { afterEach, describe, expect, it, vi } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

// What the parser is fed. eventsource-parser keeps the partial line a chunk ends with and joins it
// with the whole of the next chunk it gets: a copy of every chunk. The source hands it a chunk's
// first line on its own, so only that line is copied.
const fed = vi.hoisted(() => [] as string[])
vi.mock('eventsource-parser', async (importOriginal) => {
  const real = await importOriginal<typeof import('eventsource-parser')>()
  return {
    ...real,
    createParser: (config: Parameters<typeof real.createParser>[0]) => {
      const parser = real.createParser(config)
      return {
        feed: (chunk: string) => {
          fed.push(chunk)
          parser.feed(chunk)
        },
        reset: parser.reset,
      }
    },
  }
})

const sources: EventSource[] = []
afterEach(() => sources.splice(0).forEach((source) => source.close()))

function open(options: { maxEventBytes?: number } = {}) {
  const { transport, attempts } = playedTransport()
  const source = new EventSource('http://stream.test/s', { ...options, transport })
  sources.push(source)
  const log: string[] = []
  source.onmessage = (event) => log.push(event.data)
  source.onerror = (event) => log.push(`error ${(event as any).error.code}`)
  const handlers = attempts[0]!
  handlers.response(STREAM_RESPONSE)
  fed.length = 0
  return { source, log, feed: (chunk: string) => handlers.text(chunk) }
}

describe('what the parser is fed [speed]', () => {
  it('gets a chunk\'s first line apart from the rest, so a held partial line is joined with that line only', () => {
    const { log, feed } = open()
    feed('data: one\n\ndata: tw')
    feed('o\n\ndata: three\n\ndata: fo')
    feed('ur\n\n')
    expect(log).toEqual(['one', 'two', 'three', 'four'])
    // A chunk with no line feed, or only one at its end, goes whole.
    expect(fed.filter((chunk) => chunk !== '\uFEFF')).toEqual(['data: one\n', '\ndata: tw', 'o\n', '\ndata: three\n\ndata: fo', 'ur\n', '\n'])
  })

  it('splits only at a line feed, so CR LF pairs and lone CRs stay whole', () => {
    const { log, feed } = open()
    feed('data: a\r')
    feed('\n\r\ndata: b\rdata: c\r\r')
    expect(log).toEqual(['a', 'b\nc'])
    expect(fed.filter((chunk) => chunk !== '\uFEFF')).toEqual(['data: a\r', '\n', '\r\ndata: b\rdata: c\r\r'])
  })

  it('parses nothing more of the chunk once its first line closed the source', () => {
    const { source, log, feed } = open()
    source.addEventListener('message', () => source.close())
    feed('data: first\n')
    feed('\ndata: second\n\n')
    expect(log).toEqual(['first'])
    expect(fed.filter((chunk) => chunk !== '\uFEFF')).toEqual(['data: first\n', '\n'])
  })

  it('an event that outgrows maxEventBytes in the first line fails the source, and the rest of the chunk is dropped', () => {
    const { source, log, feed } = open({ maxEventBytes: 20 })
    feed('data: 01234567890')
    expect(() => feed('0123456789\ndata: z\n\n')).not.toThrow()
    expect(log).toEqual(['error event-too-large'])
    expect(source.readyState).toBe(EventSource.CLOSED)
  })
})
