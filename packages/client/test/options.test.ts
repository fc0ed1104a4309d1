import { describe, expect, it } from 'vitest'
import { connect } from '@ssekit/client/polyfilled'

// Misuse fails at connect() with a TypeError that names the option and what it expects; nothing
// is requested. The URL points nowhere: a request would be an error of its own.
const url = 'http://127.0.0.1:9/never'

describe('connect() validates its options', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['options', 'json', /option `options` must be an object/],
    ['decode', 'xml', /option `decode` must be 'text', 'json' or a function, got "xml"/],
    ['schemas', 5, /option `schemas` must be an object/],
    ['schemas.tick', { tick: { parse() {} } }, /option `schemas.tick` must be a Standard Schema/],
    ['events', 'tick', /option `events` must be an array/],
    ['events[1]', ['a', 2], /option `events\[1\]` must be a string, got 2/],
    ['retry', { retry: { maxDelay: -1 } }, /option `retry.maxDelay` must be a finite number of ms ≥ 0, got -1/],
    ['backend', 'websocket', /option `backend` must be 'auto', 'native', 'polyfill' or an EventSource constructor/],
    ['headers', 'Bearer x', /option `headers` must be an object/],
    // Issue 13 point 6: a value no header can carry, named at connect(), not a failed attempt later.
    ['headers', { 'X-A': 'a\r\nInjected: 1' }, /option `headers`: the value of header "X-A" has a NUL, CR or LF/],
    ['lastEventId', 'a\nb', /option `lastEventId` must be a string without NUL, CR or LF, got "a\\nb"/],
    ['requestUrl', '/other', /option `requestUrl` must be a function/],
    ['fetch', {}, /option `fetch` must be a function/],
    ['polyfill', true, /option `polyfill` must be an object/],
    ['lastEventId', 5, /option `lastEventId` must be a string/],
    ['lastEventIdQueryParam', '', /option `lastEventIdQueryParam` must be a non-empty string or false/],
    ['withCredentials', 'yes', /option `withCredentials` must be a boolean/],
    ['pauseWhenHidden', 1, /option `pauseWhenHidden` must be a boolean/],
    ['bufferSize', 0, /option `bufferSize` must be a whole number ≥ 1, got 0/],
    ['signal', { aborted: false }, /option `signal` must be an AbortSignal/],
    ['onReconnecting', true, /option `onReconnecting` must be a function/],
  ]
  for (const [name, value, message] of cases) {
    it(name, () => {
      const options =
        name === 'options' || name === 'retry'
          ? value
          : name.startsWith('schemas')
            ? { schemas: value }
            : name.startsWith('events')
              ? { events: value }
              : { [name]: value }
      expect(() => connect(url, options as never)).toThrow(TypeError)
      expect(() => connect(url, options as never)).toThrow(message)
    })
  }

  it('the URL must be a string or a URL', () => {
    expect(() => connect(42 as never)).toThrow(/`url` must be a string or a URL/)
  })

  it("an unparsable URL throws the backend's SyntaxError from connect(), and nothing is left open", () => {
    let closed = 0
    expect(() => connect('http://[nope', { backend: 'polyfill', onClose: () => void closed++ })).toThrow(expect.objectContaining({ name: 'SyntaxError' }))
    expect(closed).toBe(1)
  })

  it('ignores what a page added to Object.prototype, in its options, its retry policy and the polyfill extensions', () => {
    const proto = Object.prototype as Record<string, unknown>
    proto.polluted = 1
    try {
      const client = connect(url, { backend: 'polyfill', retry: { maxAttempts: 2 }, polyfill: { heartbeatTimeout: 1000 }, onClose: () => {} })
      client.close()
    } finally {
      delete proto.polluted
    }
  })

  it('accepts a URL object', () => {
    const client = connect(new URL(url), { retry: false, onClose: () => {} })
    expect(client.url).toBe(url)
    client.close()
  })
})

// Issue 13 point 10: an unknown option is a TypeError naming it, and the key meant for a near miss.
describe('connect() refuses unknown options', () => {
  const cases: Array<[string, object, RegExp]> = [
    ['a top-level polyfill option', { heartbeatTimeout: 1000 }, /unknown option `heartbeatTimeout`: did you mean `polyfill.heartbeatTimeout`\?/],
    ['maxEventBytes at the top', { maxEventBytes: 10 }, /did you mean `polyfill.maxEventBytes`\?/],
    ['retry.maxRetries', { retry: { maxRetries: 3 } }, /unknown option `retry.maxRetries`: did you mean `retry.maxAttempts`\?/],
    ['a typo', { onopen: () => {} }, /unknown option `onopen`: did you mean `onOpen`\?/],
    ['a typo in retry', { retry: { initalDelay: 5 } }, /unknown option `retry.initalDelay`: did you mean `retry.initialDelay`\?/],
    ['xhrRecycleAfter, now a transport', { polyfill: { xhrRecycleAfter: 5 } }, /unknown option `polyfill.xhrRecycleAfter`: did you mean `polyfill.transport`\?/],
    ['a key nothing resembles', { websocket: true }, /unknown option `websocket`$/],
    ['a key of Object.prototype', { toString: 1 }, /unknown option `toString`$/],
  ]
  for (const [name, options, message] of cases) {
    it(name, () => expect(() => connect(url, options as never)).toThrow(message))
  }

  it('checks polyfill options before any request', () => {
    expect(() => connect(url, { polyfill: { heartbeatTimeout: 0 } })).toThrow(/option `polyfill.heartbeatTimeout` must be a number of ms from 1/)
    expect(() => connect(url, { polyfill: { transport: 'xhr' as never } })).toThrow(/option `polyfill.transport` must be a transport function, got "xhr"/)
    expect(() => connect(url, { polyfill: { maxEventBytes: 0 } })).toThrow(/option `polyfill.maxEventBytes` must be a number > 0 \(Infinity: no cap\), got 0/)
    expect(() => connect(url, { terminator: { type: 'stop' } as never })).toThrow(/option `terminator` must be an event type or \{ type\?, data \}/)
    expect(() => connect(url, { endOfStream: 'close' as never })).toThrow(/option `endOfStream` must be 'done' or 'reconnect'/)
    expect(() => connect(url, { method: 5 as never })).toThrow(/option `method` must be a string/)
  })
})
