import { expect } from 'vitest'
import type { Script } from '../../../server/scripted-server.ts'
import { lines, scenarios, values } from '../../scenario.ts'
import { onlyXhr } from './skips.ts'

/**
 * The `transport` option: an injected fetch (`createFetchTransport`), a custom transport function,
 * and the XHR transport's `recycleAfter` (`createXhrTransport`).
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const transportScenarios = scenarios([
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
      ctx.endAt(source)
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
      ctx.endAt(source)
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
