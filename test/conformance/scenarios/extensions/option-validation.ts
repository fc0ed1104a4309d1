import { expect } from 'vitest'
import { scenarios, values } from '../../scenario.ts'

/**
 * A bad option is refused at construction, before any request.
 * Run on the polyfill environments only; each title says `[extension]`.
 */
export const optionValidationScenarios = scenarios([
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
])
