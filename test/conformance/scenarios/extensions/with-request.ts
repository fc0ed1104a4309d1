import { expect } from 'vitest'
import { lines, scenarios, values } from '../../scenario.ts'

/**
 * `withRequest` and `addHeaders`: a step that shapes the request of every attempt (headers, URL,
 * method and body), awaited when it returns a thenable.
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const withRequestScenarios = scenarios([
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
      ctx.endAt(source)
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
      ctx.endAt(source)
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
      ctx.endAt(source)
    },
    timeout: 8000,
    check({ log, a }) {
      expect(values(log)).toEqual([{ code: 'request', cause: 'token service down', willReconnect: true }])
      expect(lines(log)).toEqual(['error(0)', 'open(1)', 'message(1) "END"'])
      expect(a.requests('/s').map((request) => request.headers['x-token'])).toEqual(['token 2'])
    },
  },
])
