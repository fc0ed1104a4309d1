import { expect } from 'vitest'
import type { Script } from '../../server/scripted-server.ts'
import { failsOnceBeforeResponse } from '../routes.ts'
import { lines, scenarios, values, waitFor, type Scenario } from '../scenario.ts'

const onlyXhr = 'the XHR transport only'

/**
 * `maxEventBytes: 100` against a 500-character event sent as `pieces` writes (1: the whole event,
 * its blank line and the next event in one chunk; more: trickling in, the case that would
 * otherwise eat memory).
 */
function refusesOversize(pieces: number): Scenario {
  const big = 'x'.repeat(500)
  const body: NonNullable<Script['body']> = ['data: small\n\n', { wait: 10 }]
  if (pieces === 1) body.push(`data: ${big}\n\ndata: after\n\n`)
  else {
    const size = big.length / pieces
    for (let i = 0; i < pieces; i++) body.push(`${i === 0 ? 'data: ' : ''}${big.slice(i * size, (i + 1) * size)}`, { wait: 10 })
    body.push('\n\ndata: after\n\n')
  }
  return {
    name: `[extension] maxEventBytes: an oversize event closes the source with event-too-large; smaller ones pass (${pieces === 1 ? 'one chunk' : `${pieces} chunks`})`,
    serve: ({ a }) => a.route('/s', { body, hold: true }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { maxEventBytes: 100 })
      ctx.record(source)
      source.addEventListener('error', function (event: any) {
        ctx.log({ code: event.error.code, willReconnect: event.willReconnect })
        ctx.quiet(300, function () {
          ctx.done()
        })
      })
    },
    async check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "small"', 'error(2)'])
      expect(values(log)).toEqual([{ code: 'event-too-large', willReconnect: false }])
      await waitFor(() => a.requests('/s')[0]?.closedBy !== undefined, 'the response to close', 5000)
      expect(a.requests('/s').map((request) => request.closedBy)).toEqual(['client'])
    },
  }
}


/**
 * The polyfill's documented extensions (second constructor argument), and what its error events
 * carry. Run on the polyfill environments only; each title says `[extension]`.
 */
export const extensionScenarios = scenarios([
  {
    name: '[extension] error events carry an EventSourceError (code, status, url) and willReconnect',
    serve: ({ a }) => {
      a.route('/s', failsOnceBeforeResponse({ body: ['retry: 200\ndata: a\n\n'] }, { status: 500, body: ['data: no\n\n'] }))
      a.route('/t', { headers: { 'content-type': 'text/plain' } })
    },
    client: function (ctx) {
      var closed = 0
      function watch(source: any) {
        source.addEventListener('error', function (event: any) {
          var error = event.error
          ctx.log({
            path: source.url.slice(ctx.base.length),
            readyState: source.readyState,
            willReconnect: event.willReconnect,
            name: error && error.name,
            isError: error instanceof Error,
            code: error && error.code,
            status: error && error.status,
            urlKnown: error && error.url === source.url,
            mentionsUrl: !!error && error.message.indexOf(source.url) >= 0,
          })
          if (source.readyState === source.CLOSED && ++closed === 2) ctx.done()
        })
      }
      watch(ctx.open(ctx.base + '/s'))
      watch(ctx.open(ctx.base + '/t'))
    },
    check({ log }) {
      const common = { name: 'EventSourceError', isError: true, urlKnown: true, mentionsUrl: true }
      const seen = values(log) as Array<{ path: string }>
      expect(seen.filter((value) => value.path === '/s')).toEqual([
        { path: '/s', readyState: 0, willReconnect: true, code: 'stream-ended', ...common },
        { path: '/s', readyState: 0, willReconnect: true, code: 'network', ...common },
        { path: '/s', readyState: 2, willReconnect: false, code: 'http-status', status: 500, ...common },
      ])
      expect(seen.filter((value) => value.path === '/t')).toEqual([{ path: '/t', readyState: 2, willReconnect: false, code: 'content-type', status: 200, ...common }])
    },
  },
  {
    name: '[extension] error events carry serverRetry, the reconnection time the server set',
    serve: ({ a }) => {
      a.route('/s', [{ body: ['retry: 50\n\n'] }, { status: 204 }])
      a.route('/t', { status: 204 })
    },
    client: function (ctx) {
      var silent = ctx.open(ctx.base + '/t')
      silent.addEventListener('error', function (event: any) {
        ctx.log({ path: '/t', serverRetry: event.serverRetry === undefined ? 'none' : event.serverRetry })
        var source = ctx.open(ctx.base + '/s')
        source.addEventListener('error', function (later: any) {
          ctx.log({ path: '/s', serverRetry: later.serverRetry === undefined ? 'none' : later.serverRetry })
          if (source.readyState === source.CLOSED) ctx.done()
        })
      })
    },
    check({ log }) {
      expect(values(log)).toEqual([
        { path: '/t', serverRetry: 'none' },
        { path: '/s', serverRetry: 50 },
        { path: '/s', serverRetry: 50 },
      ])
    },
  },
  {
    name: '[extension] headers: an object is sent on every request, and cannot displace Accept unless it sets it',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { headers: { 'X-Token': 'abc' } })
      source.addEventListener('message', function () {
        source.close()
        ctx.done()
      })
    },
    check({ a }) {
      expect(a.requests('/s').map((request) => [request.headers['x-token'], request.headers.accept])).toEqual([
        ['abc', 'text/event-stream'],
        ['abc', 'text/event-stream'],
      ])
    },
  },
  {
    name: '[extension] headers: [name, value] pairs and a Headers are read as fetch reads them',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      // An IE-class page has no Headers: anything with its forEach stands in.
      var headers =
        typeof Headers === 'function'
          ? new Headers({ 'X-Token': 'headers' })
          : {
              forEach: function (callback: (value: string, name: string) => void) {
                callback('headers', 'X-Token')
              },
            }
      var source = ctx.open(ctx.base + '/s', {
        headers: function (info: { attempt: number }) {
          return info.attempt === 0 ? [['X-Token', 'pairs']] : headers
        },
      })
      source.addEventListener('message', function () {
        source.close()
        ctx.done()
      })
    },
    check({ a }) {
      expect(a.requests('/s').map((request) => request.headers['x-token'])).toEqual(['pairs', 'headers'])
    },
  },
  {
    name: '[extension] headers: a function is called before every attempt with { attempt, lastEventId, url }',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\nid: 5\ndata: a\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var url = ctx.base + '/s'
      var source = ctx.open(url, {
        headers: function (info: { attempt: number; lastEventId: string; url: string }) {
          return { 'X-Attempt': String(info.attempt), 'X-Last': info.lastEventId || '-', 'X-Same-Url': String(info.url === url) }
        },
      })
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ a }) {
      expect(a.requests('/s').map((r) => [r.headers['x-attempt'], r.headers['x-last'], r.headers['x-same-url'], r.headers['last-event-id']])).toEqual([
        ['0', '-', 'true', undefined],
        ['1', '5', 'true', '5'],
      ])
    },
  },
  {
    name: '[extension] requestUrl computes the URL of each attempt',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', {
        requestUrl: function (info: { attempt: number; url: string }) {
          return info.url + '?attempt=' + info.attempt
        },
      })
      source.addEventListener('message', function () {
        ctx.note('url ' + source.url.slice(ctx.base.length))
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      expect(a.requests('/s').map((request) => request.url.search)).toEqual(['?attempt=0', '?attempt=1'])
      expect(lines(log)).toEqual(['url /s'])
    },
  },
  {
    name: '[extension] lastEventId resumes: Last-Event-ID on the first request, carried by events until a new id',
    serve: ({ a }) => a.route('/s', { body: ['data: a\n\nid: 2\ndata: END\n\n'], hold: true }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { lastEventId: 'resume-1' })
      ctx.record(source)
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      expect(a.requests('/s')[0]?.headers['last-event-id']).toBe('resume-1')
      expect(lines(log, { ids: true })).toEqual(['open(1)', 'message(1) "a" #"resume-1"', 'message(1) "END" #"2"'])
    },
  },
  {
    name: '[extension] lastEventIdQueryParam sends the last event id as a query parameter instead of the header',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: a\n\n'] }, { body: ['id: 7\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s?keep=1', { lastEventIdQueryParam: 'lastId', lastEventId: 'x1' })
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ a }) {
      const requests = a.requests('/s')
      expect(requests.map((request) => request.url.search)).toEqual(['?keep=1&lastId=x1', '?keep=1&lastId=x1', '?keep=1&lastId=7'])
      for (const request of requests) expect(request.headers).not.toHaveProperty('last-event-id')
    },
  },
  {
    name: '[extension] heartbeatTimeout: a silent stream is dropped and reconnected with a heartbeat-timeout error',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: a\n\n'], hold: true }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { heartbeatTimeout: 300 })
      ctx.record(source)
      source.addEventListener('error', function (event: any) {
        ctx.log({ code: event.error.code, willReconnect: event.willReconnect })
      })
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    async check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "a"', 'error(0)', 'open(1)', 'message(1) "END"'])
      expect(values(log)).toEqual([{ code: 'heartbeat-timeout', willReconnect: true }])
      const [first, second] = a.requests('/s')
      expect(first?.closedBy).toBe('client')
      // The timeout counts from the last activity (the first event, right after the response head).
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(290)
    },
  },
  {
    name: '[extension] heartbeatTimeout: comment lines count as activity',
    serve: ({ a }) => {
      const body: Script['body'] = ['data: a\n\n']
      for (let i = 0; i < 8; i++) body.push({ wait: 100 }, ':\n')
      a.route('/s', { body: [...body, 'data: END\n\n'], hold: true })
    },
    client: function (ctx) {
      // Comments every 100 ms for 800 ms: silence would trip the 500 ms timeout; they must not.
      var source = ctx.open(ctx.base + '/s', { heartbeatTimeout: 500 })
      ctx.record(source)
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "a"', 'message(1) "END"'])
      expect(a.requests('/s')).toHaveLength(1)
    },
  },
  refusesOversize(1),
  refusesOversize(10),
  {
    name: '[extension] fetch: an injected fetch makes every request, with the spec request mode, credentials and cache',
    skip: {
      'polyfill-xhr': 'giving `fetch` forces the fetch transport (and is refused together with transport: "xhr")',
    },
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var injected = function (url: string, init: any) {
        ctx.log({ url: url.slice(ctx.base.length), method: init.method, mode: init.mode, credentials: init.credentials, cache: init.cache, redirect: init.redirect })
        return fetch(url, init)
      }
      var plain = ctx.open(ctx.base + '/s', { fetch: injected })
      plain.addEventListener('message', function () {
        plain.close()
        // No route: a 404 fails it, after the request was made.
        var credentialed = ctx.open(ctx.base + '/c', { fetch: injected, withCredentials: true })
        credentialed.addEventListener('error', function () {
          ctx.done()
        })
      })
    },
    check({ log }) {
      const request = { method: 'GET', mode: 'cors', cache: 'no-store', redirect: 'follow' }
      expect(values(log)).toEqual([
        { url: '/s', credentials: 'same-origin', ...request },
        { url: '/s', credentials: 'same-origin', ...request },
        { url: '/c', credentials: 'include', ...request },
      ])
    },
  },
  {
    name: '[extension] transport: a custom transport function receives the request and feeds the source',
    client: function (ctx) {
      var aborted = false
      var custom = function (request: any, handlers: any) {
        ctx.log({ url: request.url.slice(ctx.base.length), accept: request.headers.Accept, withCredentials: request.withCredentials })
        setTimeout(function () {
          if (aborted) return
          handlers.response({ status: 200, statusText: 'OK', contentType: 'text/event-stream', url: 'http://elsewhere.test/x', headers: { get: function () { return null } } })
          handlers.text('data: one\n\nda')
          handlers.text('ta: END\n\n')
        }, 0)
        return function () {
          aborted = true
          ctx.note('aborted')
        }
      }
      var source = ctx.open(ctx.base + '/custom', { transport: custom })
      ctx.record(source)
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ log }) {
      expect(values(log)).toEqual([{ url: '/custom', accept: 'text/event-stream', withCredentials: false }])
      expect(lines(log)).toEqual(['open(1)', 'message(1) "one"', 'message(1) "END"', 'aborted'])
      expect(log.filter((entry) => entry.kind === 'event' && entry.type === 'message').map((entry) => entry.kind === 'event' && entry.origin)).toEqual([
        'http://elsewhere.test',
        'http://elsewhere.test',
      ])
    },
  },
  {
    name: '[extension] a bad option throws a TypeError that names the option, before any request',
    client: function (ctx) {
      var bad: Array<[string, unknown]> = [
        ['heartbeatTimeout', -1],
        ['heartbeatTimeout', 'soon'],
        ['maxEventBytes', 0],
        ['maxEventBytes', Infinity],
        ['headers', 5],
        ['fetch', 'fetch'],
        ['requestUrl', 'http://x'],
        ['lastEventId', 5],
        ['lastEventIdQueryParam', ''],
        ['transport', 'websocket'],
        ['xhrRecycleAfter', -5],
      ]
      for (var i = 0; i < bad.length; i++) {
        var init: Record<string, unknown> = {}
        init[bad[i]![0]] = bad[i]![1]
        try {
          new ctx.EventSource(ctx.base + '/s', init)
          ctx.log({ option: bad[i]![0], threw: false })
        } catch (error) {
          var e = error as Error
          ctx.log({ option: bad[i]![0], threw: e instanceof TypeError, named: e.message.indexOf('`' + bad[i]![0] + '`') >= 0 })
        }
      }
      var platformFetch = typeof fetch === 'function' ? fetch : function () {}
      try {
        new ctx.EventSource(ctx.base + '/s', { fetch: platformFetch, transport: 'xhr' })
        ctx.log({ option: 'fetch with xhr', threw: false })
      } catch (error) {
        var conflict = error as Error
        ctx.log({ option: 'fetch with xhr', threw: conflict instanceof TypeError, named: conflict.message.indexOf('`transport`') >= 0 })
      }
      ctx.done()
    },
    check({ log, a }) {
      for (const value of values(log)) expect(value).toMatchObject({ threw: true, named: true })
      expect(values(log)).toHaveLength(12)
      expect(a.requests()).toHaveLength(0)
    },
  },
  {
    name: '[extension] xhrRecycleAfter: the XHR transport recycles a long response transparently (no error, no second open)',
    skip: { 'polyfill-fetch': onlyXhr, 'polyfill-node': onlyXhr, 'chromium-polyfill': onlyXhr },
    serve: ({ a }) =>
      // Resumes after Last-Event-ID, as a server must for recycling to lose nothing. END comes only
      // on a resumed request, so the scenario ends only if the transport recycled, however the
      // events were grouped into chunks.
      a.route('/s', (request) => {
        const resumed = request.headers['last-event-id']
        const body: NonNullable<Script['body']> = []
        for (let n = Number(resumed ?? 0) + 1; n <= 12; n++) body.push(`id: ${n}\ndata: event ${n}\n\n`, { wait: 5 })
        if (resumed !== undefined) body.push('data: END\n\n')
        return { body, hold: true }
      }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { transport: 'xhr', xhrRecycleAfter: 60 })
      ctx.record(source)
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      const expected = ['open(1)']
      for (let n = 1; n <= 12; n++) expected.push(`message(1) "event ${n}"`)
      expect(lines(log)).toEqual([...expected, 'message(1) "END"'])
      const requests = a.requests('/s')
      expect(requests.length).toBeGreaterThan(1)
      expect(requests.slice(1).every((request) => request.headers['last-event-id'] !== undefined)).toBe(true)
    },
  },
])
