import { expect } from 'vitest'
import type { Script } from '../../../server/scripted-server.ts'
import { lines, scenarios, values } from '../../scenario.ts'

/**
 * `withHeartbeat`: a stream silent for too long is dropped and reconnected; comment lines count as activity.
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const heartbeatScenarios = scenarios([
  {
    name: '[extension] withHeartbeat: a silent stream is dropped and reconnected with a heartbeat-timeout error',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: a\n\n'], hold: true }, { body: ['data: END\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s', { transport: ctx.polyfill!.withHeartbeat(300, ctx.transport) })
      ctx.record(source)
      source.addEventListener('error', function (event: any) {
        ctx.log({ code: event.error.code, willReconnect: event.willReconnect })
      })
      ctx.endAt(source)
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
      ctx.endAt(source)
    },
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "a"', 'message(1) "END"'])
      expect(a.requests('/s')).toHaveLength(1)
    },
  },
])
