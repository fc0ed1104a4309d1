import { expect } from 'vitest'
import type { Script } from '../../../server/scripted-server.ts'
import { lines, scenarios, values, waitFor, type Scenario } from '../../scenario.ts'

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
 * `maxEventBytes`: an event larger than the limit closes the source, however it arrives.
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const maxEventBytesScenarios = scenarios([
  refusesOversize(1),
  refusesOversize(10),
])
