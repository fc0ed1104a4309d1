/**
 * `@ssekit/polyfill` as Node loads it (the `node` export condition): the same exports as `index.ts`,
 * with the node transport (`node:http`/`node:https`) as the default instead of fetch
 * (`transport: fetchTransport` still chooses fetch). Browser builds never resolve this file.
 */
import { nodeEvent } from './node-event.ts'
import { nodeTransport } from './node.ts'
import { platform } from './platform.ts'

// Side effect by design: the transport of a source that names none under Node, and Node's events
// (`new MessageEvent` costs ~0.6-0.75 µs there on Node 22/24; this class ~0.1).
platform.transport = nodeTransport
platform.event = nodeEvent

export * from './index.ts'
