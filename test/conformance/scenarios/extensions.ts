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
    name: '[extension] withRequest + addHeaders: headers are sent on every request, and cannot displace Accept unless they set it',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var P = ctx.polyfill!
      var source = ctx.open(ctx.base + '/s', {
        transport: P.withRequest(function (request: any) {
          P.addHeaders(request, { 'X-Token': 'abc' })
        }, ctx.transport),
      })
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
    name: '[extension] addHeaders reads [name, value] pairs and a Headers as fetch reads them',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var P = ctx.polyfill!
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
        transport: P.withRequest(function (request: any) {
          P.addHeaders(request, request.attempt === 0 ? [['X-Token', 'pairs']] : headers)
        }, ctx.transport),
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
    name: '[extension] withRequest: the step runs before every attempt and sees its number, last event id and URL',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\nid: 5\ndata: a\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var url = ctx.base + '/s'
      var source = ctx.open(url, {
        transport: ctx.polyfill!.withRequest(function (request: any) {
          request.headers['X-Attempt'] = String(request.attempt)
          request.headers['X-Last'] = request.lastEventId || '-'
          request.headers['X-Same-Url'] = String(request.url === url)
        }, ctx.transport),
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
    name: '[extension] withRequest: the step sets the URL of each attempt; the source keeps its own',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', {
        transport: ctx.polyfill!.withRequest(function (request: any) {
          request.url = request.url + '?attempt=' + request.attempt
        }, ctx.transport),
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
    name: '[extension] withRequest: method and body reach the server on every request, reconnections included',
    serve: ({ a }) =>
      a.route('/s', (request) =>
        request.index === 0 ? { body: ['retry: 50\nid: 1\ndata: a\n\n'] } : { body: ['data: END\n\n'], hold: true },
      ),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', {
        transport: ctx.polyfill!.withRequest(function (request: any) {
          request.method = 'POST'
          request.headers['Content-Type'] = 'application/json'
          request.body = JSON.stringify({ prompt: 'hi', after: request.lastEventId })
        }, ctx.transport),
      })
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    check({ a }) {
      expect(a.requests('/s').map((r) => [r.method, r.headers['content-type'], r.body])).toEqual([
        ['POST', 'application/json', '{"prompt":"hi","after":""}'],
        ['POST', 'application/json', '{"prompt":"hi","after":"1"}'],
      ])
    },
  },
  {
    name: '[extension] withRequest: an async step (any thenable) is awaited; one that rejects fails the attempt with a request error and sends nothing',
    serve: ({ a }) => a.route('/s', { body: ['data: END\n\n'], hold: true }),
    client: function (ctx) {
      var calls = 0
      // A thenable, not a Promise: an IE-class page has none.
      var later = function (settle: () => void) {
        return {
          then: function (resolve: () => void, reject: (cause: unknown) => void) {
            setTimeout(function () {
              settle()
              if (calls === 1) reject(new Error('token service down'))
              else resolve()
            }, 20)
          },
        }
      }
      var source = ctx.open(ctx.base + '/s', {
        transport: ctx.polyfill!.withRequest(function (request: any) {
          calls++
          return later(function () {
            request.headers['X-Token'] = 'token ' + calls
          })
        }, ctx.transport),
      })
      ctx.record(source)
      source.addEventListener('error', function (event: any) {
        ctx.log({ code: event.error.code, cause: event.error.cause && event.error.cause.message, willReconnect: event.willReconnect })
      })
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        source.close()
        ctx.done()
      })
    },
    timeout: 8000,
    check({ log, a }) {
      expect(values(log)).toEqual([{ code: 'request', cause: 'token service down', willReconnect: true }])
      expect(lines(log)).toEqual(['error(0)', 'open(1)', 'message(1) "END"'])
      expect(a.requests('/s').map((request) => request.headers['x-token'])).toEqual(['token 2'])
    },
  },
  {
    name: "[extension] redirect: 'error' keeps a secret header from a redirect to another origin (the default follows, as fetch does, and forwards it)",
    skip: {
      'polyfill-xhr': 'XMLHttpRequest always follows: the source fails after the other origin got the request (see the next scenario)',
      'chromium-polyfill': "a browser's fetch preflights the custom header across origins, which the scripted server does not answer",
    },
    serve: ({ a, b }) => {
      a.route('/follow', { status: 302, redirect: `${b.origin}/moved` })
      a.route('/refuse', { status: 302, redirect: `${b.origin}/moved` })
      b.route('/moved', { body: ['data: END\n\n'], hold: true })
    },
    client: function (ctx) {
      var P = ctx.polyfill!
      var open = function (path: string, refuse: boolean) {
        return ctx.open(ctx.base + path, {
          transport: P.withRequest(function (request: any) {
            request.headers['X-Api-Key'] = 'secret'
            if (refuse) request.redirect = 'error'
          }, ctx.transport),
        })
      }
      var followed = open('/follow', false)
      followed.addEventListener('message', function () {
        followed.close()
        var refused = open('/refuse', true)
        refused.addEventListener('error', function (event: any) {
          ctx.log({ code: event.error.code, readyState: refused.readyState })
          refused.close()
          ctx.done()
        })
      })
    },
    check({ log, b }) {
      expect(values(log)).toEqual([{ code: 'network', readyState: 0 }])
      expect(b.requests('/moved').map((request) => request.headers['x-api-key'])).toEqual(['secret'])
    },
  },
  {
    name: "[extension] redirect: 'error' on XMLHttpRequest: the redirected response fails, it is never read",
    skip: { 'polyfill-fetch': onlyXhr, 'polyfill-node': onlyXhr, 'chromium-polyfill': onlyXhr },
    serve: ({ a }) => {
      a.route('/refuse', { status: 302, redirect: '/moved' })
      a.route('/moved', { body: ['data: never\n\n'], hold: true })
    },
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/refuse', {
        transport: ctx.polyfill!.withRequest(function (request: any) {
          request.redirect = 'error'
        }, ctx.transport),
      })
      ctx.record(source)
      source.addEventListener('error', function (event: any) {
        ctx.log({ code: event.error.code })
        source.close()
        ctx.done()
      })
    },
    check({ log }) {
      expect(lines(log)).toEqual(['error(0)'])
      expect(values(log)).toEqual([{ code: 'network' }])
    },
  },
  {
    name: '[extension] an id with control characters resumes: they go percent-encoded in Last-Event-ID, which every HTTP stack can send',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\nid: a\u0001b%c\u001b\u007f\ndata: one\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s')
      ctx.record(source)
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'END') return
        ctx.log({ lastEventId: event.lastEventId })
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "one"', 'error(0)', 'open(1)', 'message(1) "END"'])
      expect(values(log)).toEqual([{ lastEventId: 'a\u0001b%c\u001b\u007f' }])
      expect(a.requests('/s').map((request) => request.headers['last-event-id'])).toEqual([undefined, 'a%01b%25c%1B%7F'])
    },
  },
  {
    name: '[extension] a failed response\'s error carries the start of its body, at most 64 KiB',
    serve: ({ a }) => {
      a.route('/401', { status: 401, headers: { 'content-type': 'application/json' }, body: ['{"error":{"message":', '"bad key"}}'] })
      a.route('/big', { status: 500, headers: { 'content-type': 'text/plain' }, body: ['x'.repeat(40000), 'y'.repeat(40000)] })
      a.route('/html', { headers: { 'content-type': 'text/html' }, body: ['<h1>login</h1>'] })
    },
    client: function (ctx) {
      var paths = ['/401', '/big', '/html']
      var left = paths.length
      for (var i = 0; i < paths.length; i++) {
        ;(function (path: string) {
          var source = ctx.open(ctx.base + path)
          source.addEventListener('error', function (event: any) {
            var body = event.error.body
            ctx.log({ path: '' + path, code: event.error.code, status: event.error.status, length: body.length, start: body.slice(0, 24), same: event.error.response.body === body })
            if (--left === 0) ctx.done()
          })
        })(paths[i]!)
      }
    },
    check({ log }) {
      const seen = (values(log) as Array<{ path: string }>).sort((x, y) => (x.path < y.path ? -1 : 1))
      expect(seen).toEqual([
        { path: '/401', code: 'http-status', status: 401, length: 31, start: '{"error":{"message":"bad', same: true },
        { path: '/big', code: 'http-status', status: 500, length: 65536, start: 'xxxxxxxxxxxxxxxxxxxxxxxx', same: true },
        { path: '/html', code: 'content-type', status: 200, length: 14, start: '<h1>login</h1>', same: true },
      ])
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
    name: '[extension] lastEventIdToQuery sends the last event id as a query parameter instead of the header',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: a\n\n'] }, { body: ['id: 7\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var P = ctx.polyfill!
      var source = ctx.open(ctx.base + '/s?keep=1', {
        lastEventId: 'x1',
        transport: P.withRequest(function (request: any) {
          P.lastEventIdToQuery(request, 'lastId')
        }, ctx.transport),
      })
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
    name: '[extension] withHeartbeat: a silent stream is dropped and reconnected with a heartbeat-timeout error',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: a\n\n'], hold: true }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { transport: ctx.polyfill!.withHeartbeat(300, ctx.transport) })
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
    name: '[extension] withHeartbeat: comment lines count as activity',
    serve: ({ a }) => {
      const body: Script['body'] = ['data: a\n\n']
      for (let i = 0; i < 8; i++) body.push({ wait: 100 }, ':\n')
      a.route('/s', { body: [...body, 'data: END\n\n'], hold: true })
    },
    client: function (ctx) {
      // Comments every 100 ms for 800 ms: silence would trip the 500 ms timeout; they must not.
      var source = ctx.open(ctx.base + '/s', { transport: ctx.polyfill!.withHeartbeat(500, ctx.transport) })
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
    name: '[extension] createFetchTransport: an injected fetch makes every request, with the spec credentials and cache',
    skip: {
      'polyfill-xhr': 'an injected fetch is the fetch transport',
    },
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var injected = function (url: string, init: any) {
        ctx.log({ url: url.slice(ctx.base.length), method: init.method, credentials: init.credentials, cache: init.cache })
        return fetch(url, init)
      }
      var viaInjected = ctx.polyfill!.createFetchTransport(injected)
      var plain = ctx.open(ctx.base + '/s', { transport: viaInjected })
      plain.addEventListener('message', function () {
        plain.close()
        // No route: a 404 fails it, after the request was made.
        var credentialed = ctx.open(ctx.base + '/c', { transport: viaInjected, withCredentials: true })
        credentialed.addEventListener('error', function () {
          ctx.done()
        })
      })
    },
    check({ log }) {
      const request = { method: 'GET', cache: 'no-store' }
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
        ctx.log({ url: request.url.slice(ctx.base.length), method: request.method, accept: request.headers.Accept, withCredentials: request.withCredentials })
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
      expect(values(log)).toEqual([{ url: '/custom', method: 'GET', accept: 'text/event-stream', withCredentials: false }])
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
        ['maxEventBytes', 0],
        ['maxEventBytes', -1],
        ['maxEventBytes', '1MB'],
        ['lastEventId', 5],
        ['lastEventId', 'a\nb'],
        ['lastEventId', 'a\uD800'],
        ['transport', 'xhr'],
        ['transport', {}],
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
      ctx.done()
    },
    check({ log, a }) {
      for (const value of values(log)) expect(value).toMatchObject({ threw: true, named: true })
      expect(values(log)).toHaveLength(8)
      expect(a.requests()).toHaveLength(0)
    },
  },
  {
    name: '[extension] createXhrTransport({ recycleAfter }): the XHR transport recycles a long response transparently (no error, no second open)',
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
      var source = ctx.open(ctx.base + '/s', { transport: ctx.polyfill!.createXhrTransport({ recycleAfter: 60 }) })
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
