import { beforeEach, describe, expect, it } from 'vitest'
import { bundles, es5Sandbox, readBundle } from '../../../test/bundles/es5.ts'
import { FakeXMLHttpRequest } from '../../../test/bundles/fake-xhr.ts'
import { until } from './helpers.ts'

// ssekit.min.js in an IE10-class sandbox: no Promise, Symbol, Map, fetch, EventSource, URL, …
// The whole callback path (typed listeners, JSON decoding, decode errors, the reconnection policy
// with Last-Event-ID, close) must work there, over the polyfill's XHR transport.
beforeEach(() => {
  FakeXMLHttpRequest.instances.length = 0
})

const sent = (count: number) => () => FakeXMLHttpRequest.instances.filter((xhr) => xhr.sent).length >= count

describe.each([
  ['ssekit.min.js', bundles.client],
  ['ssekit.dev.js', bundles.clientDev],
])('%s without ES2015 globals', (name, bundle) => {
  it('exposes connect and the polyfill class on SSEKit', () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run(readBundle(bundle), name)
    expect(sandbox.run('typeof SSEKit.connect + " " + typeof SSEKit.EventSource + " " + typeof SSEKit.DecodeError')).toBe('function function function')
    // It installs nothing: the client picks the polyfill itself.
    expect(sandbox.run('typeof window.EventSource')).toBe('undefined')
  })

  it('checks the options in development only: a production page takes them as given', () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run(readBundle(bundle), name)
    const outcome = sandbox.run(`(function () {
      try { SSEKit.connect('http://127.0.0.1:1/sse', { retry: { maxRetries: 3 } }).close(); return 'accepted' } catch (error) { return error.name + ': ' + error.message }
    })()`)
    expect(outcome).toBe(name === 'ssekit.dev.js' ? 'TypeError: ssekit connect(): unknown option `retry.maxRetries`: did you mean `retry.maxAttempts`?' : 'accepted')
  })

  it('streams typed events, reports a decode error, reconnects under the policy with the last id, closes', async () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run(readBundle(bundle), name)
    sandbox.run(`
      var log = [];
      var sse = SSEKit.connect('http://127.0.0.1:1/sse', {
        decode: 'json',
        retry: { initialDelay: 20, jitter: 0 },
        onOpen: function (info) { log.push('open ' + info.attempt) },
        onReconnecting: function (info) { log.push('reconnecting ' + info.attempt + ' ' + info.delay + ' ' + info.cause.code + ' ' + info.cause.status + ' ' + info.lastEventId) },
        onError: function (info) { log.push(info.error.name + ' ' + info.error.code + ' ' + info.event.data) },
        onClose: function (info) { log.push('close ' + info.reason) }
      });
      sse.on('tick', function (n) { log.push('tick ' + (n + 1)) });
      var off = sse.on('message', function (data) { log.push('message ' + data.text); off() });
      sse.onAny(function (m) { log.push('any ' + m.type + ' ' + m.id) });
    `)
    expect(sandbox.run('sse.backend + " " + sse.status')).toBe('polyfill connecting')
    await until(sent(1), 'the first request')
    const first = FakeXMLHttpRequest.instances[0]!
    expect(first.url).toBe('http://127.0.0.1:1/sse')
    first.respond(200, { 'Content-Type': 'text/event-stream' })
    first.receive('id: 1\nevent: tick\ndata: 41\n\ndata: {"text":"hi"}\n\ndata: {broken\n\ndata: {"text":"gone"}\n\n')
    first.finish()
    await until(() => (sandbox.run('log.length') as number) >= 8, 'the end of the first stream')
    expect(sandbox.run('log')).toEqual([
      'open 0',
      'tick 42',
      'any tick 1',
      'message hi',
      'any message 1',
      'DecodeError decode {broken',
      'any message 1',
      'reconnecting 1 20 stream-ended undefined 1',
    ])
    expect(sandbox.run('sse.status')).toBe('reconnecting')

    await until(sent(2), 'the first reconnection')
    const second = FakeXMLHttpRequest.instances[1]!
    expect(second.requestHeaders['last-event-id']).toBe('1')
    second.respond(503, { 'Retry-After': '0' })
    await until(() => (sandbox.run('log.length') as number) >= 9, 'the 503')
    expect(sandbox.run('log[8]')).toBe('reconnecting 2 40 http-status 503 1')

    await until(sent(3), 'the second reconnection')
    const third = FakeXMLHttpRequest.instances[2]!
    expect(third.requestHeaders['last-event-id']).toBe('1')
    third.respond(200, { 'Content-Type': 'text/event-stream' })
    third.receive('id: 2\nevent: tick\ndata: 1\n\n')
    await until(() => (sandbox.run('log.length') as number) >= 12, 'the event after reconnecting')
    expect(sandbox.run('log.slice(9)')).toEqual(['open 2', 'tick 2', 'any tick 2'])

    sandbox.run('sse.close()')
    expect(third.aborted).toBe(true)
    expect(sandbox.run('sse.status + " " + sse.lastEventId + " " + log[log.length - 1]')).toBe('closed 2 close close')
    third.receive('id: 3\nevent: tick\ndata: 5\n\n')
    expect(sandbox.run('log.length')).toBe(13)
  })
})
