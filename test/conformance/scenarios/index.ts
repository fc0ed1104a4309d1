import type { Scenario } from '../scenario.ts'
import { closeScenarios } from './close.ts'
import { interfaceScenarios } from './interface.ts'
import { reconnectScenarios } from './reconnect.ts'
import { requestScenarios } from './request.ts'
import { responseScenarios } from './response.ts'
import { streamScenarios } from './stream.ts'

/** Every conformance scenario, grouped by the part of the spec it covers. */
export const scenarioGroups: Record<string, Scenario[]> = {
  interface: interfaceScenarios,
  request: requestScenarios,
  response: responseScenarios,
  stream: streamScenarios,
  reconnect: reconnectScenarios,
  close: closeScenarios,
}
