import { expect } from 'vitest'
import type { Script } from '../../server/scripted-server.ts'
import { events, lines, scenarios, type Scenario } from '../scenario.ts'
import { collectUntilEnd, untilFailed } from '../programs.ts'
import { failsOnceBeforeResponse } from '../routes.ts'

/**
 * A scenario where the first response only sets `retry: 50` and ends, and the reconnection gets
 * `failing`: the connection must fail (CLOSED, one `error`, no further request), where a
 * reestablishing client would be back within ~50 ms.
 */
function failsOn(name: string, failing: Script): Scenario {
  return {
    name,
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\n\n'] }, failing]),
    client: untilFailed,
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'error(0)', 'error(2)', 'finally 2'])
      expect(a.requests('/s')).toHaveLength(2)
    },
  }
}

/** Responses: announce, fail or reestablish; redirects; what events carry. */
export const responseScenarios = scenarios([
  {
    name: 'events are MessageEvents (not bubbling, not cancelable) with type, data, origin and lastEventId',
    serve: ({ a }) => a.route('/s', { body: ['id: 7\nevent: tick\ndata: hi\n\ndata: END\n\n'], hold: true }),
    client: collectUntilEnd,
    check({ log, a }) {
      const messages = events(log).filter((entry) => entry.type !== 'open')
      expect(messages).toEqual([
        { kind: 'event', type: 'tick', readyState: 1, data: 'hi', lastEventId: '7', origin: a.origin, isMessageEvent: true, bubbles: false, cancelable: false, atTarget: true },
        { kind: 'event', type: 'message', readyState: 1, data: 'END', lastEventId: '7', origin: a.origin, isMessageEvent: true, bubbles: false, cancelable: false, atTarget: true },
      ])
    },
  },
  {
    name: "redirects are followed and events carry the final URL's origin (302 to another origin)",
    serve: ({ a, b }) => {
      a.route('/s', { status: 302, redirect: `${b.origin}/moved` })
      b.route('/moved', { headers: { 'access-control-allow-origin': '*' }, body: ['data: END\n\n'], hold: true })
    },
    client: collectUntilEnd,
    check({ log, a, b }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "END"'])
      expect(events(log)[1]?.origin).toBe(b.origin)
      expect(a.requests('/s')).toHaveLength(1)
      expect(b.requests('/moved')[0]?.headers.accept).toBe('text/event-stream')
    },
  },
  {
    name: 'a same-origin 307 redirect is followed; url stays the URL the source was constructed with',
    serve: ({ a }) => {
      a.route('/s', { status: 307, redirect: '/moved' })
      a.route('/moved', { body: ['data: END\n\n'], hold: true })
    },
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s')
      ctx.record(source)
      source.addEventListener('message', function () {
        ctx.note('url ' + source.url)
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "END"', `url ${a.origin}/s`])
      expect(events(log)[1]?.origin).toBe(a.origin)
      expect(a.requests('/moved')).toHaveLength(1)
    },
  },
  {
    name: 'a network error before any response reestablishes the connection: error while CONNECTING, then a new request',
    serve: ({ a }) => a.route('/s', failsOnceBeforeResponse({ body: ['retry: 200\ndata: one\n\n'] }, { body: ['data: END\n\n'], hold: true })),
    client: collectUntilEnd,
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "one"', 'error(0)', 'error(0)', 'open(1)', 'message(1) "END"'])
      expect(a.requests('/s').length).toBeGreaterThanOrEqual(3)
    },
  },
  {
    name: 'a body that breaks off mid-event reestablishes the connection and drops the partial event',
    serve: ({ a }) =>
      a.route('/s', [
        // A fetch body that errors drops the chunks nobody has read yet (the Streams spec empties its
        // queue): "one" must reach the tab before the break, even on a loaded machine (20 ms lost it once).
        { body: ['retry: 50\ndata: one\n\n', { wait: 300 }, 'data: partial', { destroy: true }] },
        { body: ['data: END\n\n'], hold: true },
      ]),
    client: collectUntilEnd,
    check({ log }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "one"', 'error(0)', 'open(1)', 'message(1) "END"'])
    },
  },
  failsOn('HTTP 204 fails the connection: CLOSED, one error event, no reconnection', { status: 204 }),
  failsOn('HTTP 500 fails the connection, and its text/event-stream body is not read', { status: 500, body: ['data: not read\n\n'] }),
  failsOn('HTTP 201 (a 2xx other than 200) fails the connection', { status: 201, body: ['data: not read\n\n'] }),
  failsOn('a 200 with Content-Type text/plain fails the connection', { headers: { 'content-type': 'text/plain' }, body: ['data: not read\n\n'] }),
  failsOn('a 200 with no Content-Type fails the connection', { headers: { 'content-type': null }, body: ['data: not read\n\n'] }),
  {
    name: 'a Content-Type with parameters, in any case, is text/event-stream ("Text/Event-Stream; charset=utf-8")',
    serve: ({ a }) =>
      a.route('/s', [
        { headers: { 'content-type': 'text/event-stream; charset=utf-8' }, body: ['retry: 50\ndata: one\n\n'] },
        { headers: { 'content-type': 'Text/Event-Stream;Charset=UTF-8' }, body: ['data: END\n\n'], hold: true },
      ]),
    client: collectUntilEnd,
    check({ log }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "one"', 'error(0)', 'open(1)', 'message(1) "END"'])
    },
  },
])
