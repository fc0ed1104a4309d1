import { expect } from 'vitest'
import { lines, scenarios, values } from '../../scenario.ts'
import { onlyXhr } from './skips.ts'

/**
 * The `redirect` field of a request: `'error'` refuses a redirect (fetch), or fails the redirected
 * response (XMLHttpRequest, which always follows).
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const redirectScenarios = scenarios([
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
])
