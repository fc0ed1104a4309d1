import type { Scenario } from '../../scenario.ts'
import { errorEventScenarios } from './error-events.ts'
import { heartbeatScenarios } from './heartbeat.ts'
import { lastEventIdScenarios } from './last-event-id.ts'
import { maxEventBytesScenarios } from './max-event-bytes.ts'
import { optionValidationScenarios } from './option-validation.ts'
import { redirectScenarios } from './redirect.ts'
import { transportScenarios } from './transports.ts'
import { withRequestScenarios } from './with-request.ts'

/**
 * The polyfill's documented extensions (second constructor argument), and what its error events
 * carry, one file per extension. Run on the polyfill environments only; each title says `[extension]`.
 */
export const extensionScenarios: Scenario[] = [
  ...errorEventScenarios,
  ...withRequestScenarios,
  ...redirectScenarios,
  ...lastEventIdScenarios,
  ...heartbeatScenarios,
  ...maxEventBytesScenarios,
  ...transportScenarios,
  ...optionValidationScenarios,
]
