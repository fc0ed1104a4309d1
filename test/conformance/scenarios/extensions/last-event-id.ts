import { expect } from 'vitest'
import { lines, scenarios, values } from '../../scenario.ts'

/**
 * The last event id on reconnection: `lastEventId` to resume from, `lastEventIdToQuery`, and ids
 * that HTTP cannot carry as they are.
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const lastEventIdScenarios = scenarios([
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
    name: '[extension] lastEventId resumes: Last-Event-ID on the first request, carried by events until a new id',
    serve: ({ a }) => a.route('/s', { body: ['data: a\n\nid: 2\ndata: END\n\n'], hold: true }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { lastEventId: 'resume-1' })
      ctx.record(source)
      ctx.endAt(source)
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
      ctx.endAt(source)
    },
    check({ a }) {
      const requests = a.requests('/s')
      expect(requests.map((request) => request.url.search)).toEqual(['?keep=1&lastId=x1', '?keep=1&lastId=x1', '?keep=1&lastId=7'])
      for (const request of requests) expect(request.headers).not.toHaveProperty('last-event-id')
    },
  },
])
