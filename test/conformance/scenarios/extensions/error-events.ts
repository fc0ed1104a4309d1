import { expect } from 'vitest'
import { failsOnceBeforeResponse } from '../../routes.ts'
import { scenarios, values } from '../../scenario.ts'

/**
 * What the polyfill's error events carry beyond the spec's plain `Event`: an `EventSourceError`
 * (code, status, url, the start of a failed response's body), `willReconnect` and `serverRetry`.
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const errorEventScenarios = scenarios([
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
])
