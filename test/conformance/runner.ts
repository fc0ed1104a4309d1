import { startServer, type ScriptedServer } from '../server/scripted-server.ts'
import { executeClient, type ClientArgs, type ClientOutcome, type ClientProgram } from './client-kit.ts'
import { lines, type EnvFeatures, type EnvKind, type Scenario, type ScenarioResult } from './scenario.ts'

/**
 * A runtime the scenarios run in. The Node/jsdom environments live in `envs.ts`; a browser harness
 * implements the same interface with `page.evaluate`, shipping {@link executeClientSource} and
 * {@link programSource}`(scenario.client)` into the page.
 */
export interface ConformanceEnv {
  kind: EnvKind
  /** Shown in test titles, e.g. `polyfill (xhr transport, jsdom)`. */
  name: string
  features: EnvFeatures
  /**
   * Called with each scenario's fresh servers before its client runs: a page-based environment
   * makes `a` the document's origin here (serves and loads a page from it).
   */
  begin?(servers: { a: ScriptedServer; b: ScriptedServer }): void | Promise<void>
  /** Runs a client program to its end; `teardown` closes whatever sources it left open. */
  run(program: ClientProgram, args: Omit<ClientArgs, 'options'>): Promise<{ outcome: ClientOutcome; teardown(): void | Promise<void> }>
}

/** Source text of the client runner, for environments that run programs in a page. */
export const executeClientSource: string = executeClient.toString()

/** Source text of a client program, ready to ship into a page. */
export function programSource(program: ClientProgram): string {
  return program.toString()
}

/** Why a scenario does not run in `env`, or undefined when it does. */
export function skipReason(scenario: Scenario, env: ConformanceEnv): string | undefined {
  const reason = scenario.skip?.[env.kind]
  if (reason) return reason
  if (scenario.needs?.document !== undefined && scenario.needs.document !== env.features.document) {
    return scenario.needs.document ? 'needs a document (relative URLs resolve against its base URL)' : 'needs a runtime without a document'
  }
  return undefined
}

/** The log for a failure message: whole when short, else its head and how much was left out. */
function shortLog(log: string[]): string {
  if (log.length === 0) return '(empty)'
  const head = log.slice(0, 30).join('\n')
  return log.length > 30 ? `${head}\n… ${log.length - 30} more` : head
}

/**
 * Runs one scenario in one environment: two fresh servers, the routes, the client program, then
 * the scenario's checks (which see the client's log and what the servers received). Throws what
 * the checks throw, with the client's log appended.
 */
export async function runScenario(scenario: Scenario, env: ConformanceEnv): Promise<ScenarioResult> {
  const a = await startServer()
  const b = await startServer()
  try {
    scenario.serve?.({ a, b })
    await env.begin?.({ a, b })
    const { outcome, teardown } = await env.run(scenario.client, { base: a.origin, base2: b.origin, timeout: scenario.timeout ?? 5000 })
    const result: ScenarioResult = { log: outcome.log, value: outcome.value, a, b, env: { kind: env.kind, name: env.name } }
    try {
      if (outcome.error !== null) throw new Error(`client program: ${outcome.error}`)
      await scenario.check(result)
    } catch (error) {
      if (error instanceof Error) error.message += `\n--- client log (${env.name}) ---\n${shortLog(lines(outcome.log, { ids: true }))}`
      throw error
    } finally {
      await teardown()
    }
    return result
  } finally {
    await Promise.all([a.close(), b.close()])
  }
}
