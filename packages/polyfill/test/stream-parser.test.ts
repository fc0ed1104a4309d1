import { afterEach, describe, expect, it } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { onlyComments } from '../src/stream-parser.ts'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

const sources: EventSource[] = []
afterEach(() => sources.splice(0).forEach((source) => source.close()))

describe('onlyComments: chunks a stream may skip before its first field', () => {
  it('takes whole comment and blank lines, with any line ending', () => {
    for (const chunk of [':\n', ': ping\n\n', ':a\r:b\r\n\n', '\n', '\r\n', ': ' + 'x'.repeat(2048) + '\n', ':\r']) {
      expect(onlyComments(chunk), JSON.stringify(chunk)).toBe(true)
    }
  })
  it('refuses a field, a line without its end, and a BOM', () => {
    for (const chunk of ['data: x\n', ': ping\ndata: x\n\n', ': ping', ':\nid: 1\n', '\uFEFF: ping\n', 'retry: 5\n', ': a\n\nevent', '']) {
      expect(onlyComments(chunk), JSON.stringify(chunk)).toBe(false)
    }
  })
})

describe('a stream that opens with comments', () => {
  function open() {
    const { transport, attempts } = playedTransport()
    const source = new EventSource('http://stream.test/s', { transport })
    sources.push(source)
    const log: string[] = []
    source.onmessage = (event) => log.push(`${event.data}|${event.lastEventId}`)
    attempts[0]!.response(STREAM_RESPONSE)
    return { source, log, feed: (chunk: string) => attempts[0]!.text(chunk) }
  }

  it('delivers what follows its heartbeats, a CR LF split between chunks included', () => {
    const { log, feed } = open()
    for (const chunk of [': hello\n\n', ':\r', '\n:\n', 'data: a\nid: 1\n\n', ':\n', 'data: b\n\n']) feed(chunk)
    expect(log).toEqual(['a|1', 'b|1'])
  })

  it('keeps a field that shares its chunk with comments, and an event cut after them', () => {
    const { source, log, feed } = open()
    for (const chunk of [':\n', ': x\nid: 7\n\n', ':\n\ndat', 'a: c\n\n']) feed(chunk)
    expect(log).toEqual(['c|7'])
    expect(source.lastEventId).toBe('7')
  })
})
