import { expect } from 'vitest'
import type { Step } from '../../server/scripted-server.ts'
import { lines, scenarios, type Scenario } from '../scenario.ts'
import { collectUntilEnd } from '../programs.ts'

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'utf8') : Buffer.from(part))))

const BOM = [0xef, 0xbb, 0xbf]

/**
 * One connection whose body is `body` then `data: END`; the messages before END must be `expected`
 * (lines as `lines(log, { ids: true })` prints them, without the leading `open(1)`).
 */
function parses(name: string, body: Step[], expected: string[]): Scenario {
  return {
    name,
    serve: ({ a }) => a.route('/s', { body: [...body, 'data: END\n\n'], hold: true }),
    client: collectUntilEnd,
    check({ log }) {
      const seen = lines(log, { ids: true })
      expect(seen[0]).toBe('open(1)')
      expect(seen.slice(1, -1)).toEqual(expected)
    },
  }
}

/** Parsing the event stream: decoding, lines, fields, dispatch. */
export const streamScenarios = scenarios([
  parses(
    'the body is decoded as UTF-8, invalid bytes becoming U+FFFD',
    [bytes('data: caf', [0xc3, 0xa9], ' ', [0xff], ' x ', [0xe2, 0x82], 'y\n\n')],
    ['message(1) "café \uFFFD x \uFFFDy" #""'],
  ),
  parses(
    'a character split between chunks decodes whole (2-byte and 4-byte sequences)',
    [bytes('data: ', [0xc3]), { wait: 30 }, bytes([0xa9], ' ', [0xf0, 0x9f]), { wait: 30 }, bytes([0x98, 0x80], '\n\n')],
    ['message(1) "é 😀" #""'],
  ),
  parses('one leading BOM is stripped', [bytes(BOM, 'data: 1\n\n')], ['message(1) "1" #""']),
  parses(
    'only one BOM is stripped: after a second, the first line\'s field is "\\uFEFFdata" (unknown); a BOM starting a later chunk is data',
    [bytes(BOM, BOM, 'data: 1\n\ndata: 2\n\ndata: '), { wait: 30 }, bytes(BOM, 'mid\n\n')],
    ['message(1) "2" #""', 'message(1) "\uFEFFmid" #""'],
  ),
  {
    name: "a BOM split between chunks is stripped, and each reconnection's stream loses its own leading BOM",
    serve: ({ a }) =>
      a.route('/s', [
        { body: [bytes(BOM, 'retry: 50\ndata: 1\n\n')] },
        { body: [bytes([0xef]), { wait: 30 }, bytes([0xbb, 0xbf], 'data: 2\n\ndata: END\n\n')], hold: true },
      ]),
    client: collectUntilEnd,
    check({ log }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "1"', 'error(0)', 'open(1)', 'message(1) "2"', 'message(1) "END"'])
    },
  },
  parses(
    'lines end in CR, LF or CRLF, mixed freely',
    ['data: 1\r\rdata: 2\n\ndata: 3\r\n\r\ndata: 4\r\ndata: 5\n\rdata: 6\rdata: 7\r\n\n'],
    ['message(1) "1" #""', 'message(1) "2" #""', 'message(1) "3" #""', 'message(1) "4\\n5" #""', 'message(1) "6\\n7" #""'],
  ),
  parses(
    'a CRLF split between chunks is one line end ("data: a\\r" | "\\ndata: b\\r\\n\\r\\n" is one event "a\\nb"), also CR | CR | LF',
    ['data: a\r', { wait: 30 }, '\ndata: b\r\n\r\n', 'data: c\r', { wait: 30 }, '\r', { wait: 30 }, '\ndata: d\n\n'],
    ['message(1) "a\\nb" #""', 'message(1) "c" #""', 'message(1) "d" #""'],
  ),
  {
    name: 'a CR at the end of a chunk ends its line at once: "data: x\\r" | "\\r" dispatches before anything else arrives',
    serve: ({ a }) => a.route('/s', { body: ['data: x\r', { wait: 30 }, '\r'], hold: true }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s')
      ctx.record(source)
      source.addEventListener('message', function () {
        source.close()
        ctx.done()
      })
    },
    check({ log }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "x"'])
    },
  },
  parses('lines starting with a colon are comments, and a block of only comments dispatches nothing', [': comment\ndata: a\n:another\n:\n\n:only a comment\n\n'], ['message(1) "a" #""']),
  parses(
    'one leading space is removed from a value, and only one',
    ['data:  two\n\ndata:none\n\ndata:\ttab\n\ndata: \n\n'],
    ['message(1) " two" #""', 'message(1) "none" #""', 'message(1) "\\ttab" #""', 'message(1) "" #""'],
  ),
  parses(
    'data lines join with \\n (an empty data line included)',
    ['data: a\ndata: b\ndata: c\n\ndata: a\ndata:\ndata: c\n\n'],
    ['message(1) "a\\nb\\nc" #""', 'message(1) "a\\n\\nc" #""'],
  ),
  parses('a line "data" with no colon is a data field with an empty value', ['data\n\ndata\ndata\n\n'], ['message(1) "" #""', 'message(1) "\\n" #""']),
  parses(
    'a block with no data dispatches nothing, yet resets the event type (and sets the last event id)',
    ['event: x\n\nid: 1\n\n\n\n\ndata: real\n\n'],
    ['message(1) "real" #"1"'],
  ),
  parses(
    'event names the type; it resets to "message" after each dispatch; an empty one means "message"',
    ['event: tick\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\nevent: tick\nevent: tock\ndata: 4\n\n'],
    ['tick(1) "1" #""', 'message(1) "2" #""', 'message(1) "3" #""', 'tock(1) "4" #""'],
  ),
  parses(
    'event types named like Object.prototype members (__proto__, constructor, toString, …) are plain types',
    ['event: __proto__\ndata: p\n\nevent: constructor\ndata: c\n\nevent: toString\ndata: t\n\nevent: hasOwnProperty\ndata: h\n\nevent: valueOf\ndata: v\n\n'],
    ['__proto__(1) "p" #""', 'constructor(1) "c" #""', 'toString(1) "t" #""', 'hasOwnProperty(1) "h" #""', 'valueOf(1) "v" #""'],
  ),
  parses('id persists across the events that follow until the next id', ['id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n'], ['message(1) "a" #"1"', 'message(1) "b" #"1"', 'message(1) "c" #"2"']),
  parses(
    'an empty id ("id:" or a bare "id") resets the last event id',
    ['id: 1\ndata: a\n\nid\ndata: b\n\nid: 2\ndata: c\n\nid:\ndata: d\n\n'],
    ['message(1) "a" #"1"', 'message(1) "b" #""', 'message(1) "c" #"2"', 'message(1) "d" #""'],
  ),
  parses('an id containing U+0000 NULL is ignored', ['id: 1\ndata: a\n\nid: 2\u0000x\ndata: b\n\nid: \u0000\ndata: c\n\n'], ['message(1) "a" #"1"', 'message(1) "b" #"1"', 'message(1) "c" #"1"']),
  parses(
    'unknown fields are ignored (names are case-sensitive, a space before the colon is part of the name)',
    ['foo: bar\ndata: a\nDATA: no\nData: no\n data: no\ndata : no\nevent2: x\nid2: 9\n\n'],
    ['message(1) "a" #""'],
  ),
])
