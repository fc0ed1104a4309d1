import { describe, it } from 'vitest'
import { localEnvs } from './envs.ts'
import { runScenario, skipReason } from './runner.ts'
import { extensionScenarios } from './scenarios/extensions/index.ts'

// The polyfill's extensions, on the polyfill environments of this project (both transports in jsdom).
const envs = (await localEnvs()).filter((env) => env.kind.startsWith('polyfill'))

if (envs.length === 0) it.skip('[extension] no polyfill environment selected (SSEKIT_CONFORMANCE)', () => {}) // SSEKIT_CONFORMANCE chose native envs only: say so rather than run nothing

for (const env of envs) {
  describe(env.name, () => {
    for (const scenario of extensionScenarios) {
      const reason = skipReason(scenario, env)
      if (reason) it.skip(`${scenario.name} [skipped on ${env.kind}: ${reason}]`, () => {}) // not applicable to this env: the reason is in the title
      else it(scenario.name, () => runScenario(scenario, env).then(() => undefined), (scenario.timeout ?? 5000) + 5000)
    }
  })
}
