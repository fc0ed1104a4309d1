import { describe, it } from 'vitest'
import { localEnvs } from './envs.ts'
import { runScenario, skipReason } from './runner.ts'
import { extensionScenarios } from './scenarios/extensions.ts'

// The polyfill's extensions, on the polyfill environments of this project (both transports in jsdom).
const envs = (await localEnvs()).filter((env) => env.kind.startsWith('polyfill'))

// Narrowed by SSEKIT_CONFORMANCE to native environments only: say so instead of running nothing.
if (envs.length === 0) it.skip('[extension] no polyfill environment selected (SSEKIT_CONFORMANCE)', () => {})

for (const env of envs) {
  describe(env.name, () => {
    for (const scenario of extensionScenarios) {
      const reason = skipReason(scenario, env)
      // A scenario that does not apply to this environment is listed as skipped, its reason in the title.
      if (reason) it.skip(`${scenario.name} [skipped on ${env.kind}: ${reason}]`, () => {})
      else it(scenario.name, () => runScenario(scenario, env).then(() => undefined), (scenario.timeout ?? 5000) + 5000)
    }
  })
}
