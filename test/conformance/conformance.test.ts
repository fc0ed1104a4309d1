import { parse } from 'acorn'
import { describe, expect, it } from 'vitest'
import { localEnvs } from './envs.ts'
import { executeClientSource, programSource, runScenario, skipReason } from './runner.ts'
import { extensionScenarios } from './scenarios/extensions/index.ts'
import { scenarioGroups } from './scenarios/index.ts'

// One scenario list, run in every environment of this project (see envs.ts); a browser harness
// runs the same list through its own ConformanceEnv.
const envs = await localEnvs()

describe('conformance suite', () => {
  it('has an environment to run in', () => {
    expect(envs.length).toBeGreaterThan(0)
  })

  it('ships client programs and their runner as ES5 source that pages can run', () => {
    const sources = [executeClientSource, ...[...Object.values(scenarioGroups).flat(), ...extensionScenarios].map((scenario) => programSource(scenario.client))]
    for (const source of sources) expect(() => parse(`(${source})`, { ecmaVersion: 5 }), source).not.toThrow()
  })
})

for (const env of envs) {
  describe(env.name, () => {
    for (const [group, list] of Object.entries(scenarioGroups)) {
      describe(group, () => {
        for (const scenario of list) {
          const reason = skipReason(scenario, env)
          if (reason) it.skip(`${scenario.name} [skipped on ${env.kind}: ${reason}]`, () => {}) // not applicable to this env: the reason is in the title
          else it(scenario.name, () => runScenario(scenario, env).then(() => undefined), (scenario.timeout ?? 5000) + 5000)
        }
      })
    }
  })
}
