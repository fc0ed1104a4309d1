/**
 * `@ssekit/polyfill` as Node loads it (the `node` export condition): the same exports as `index.ts`,
 * with the node transport (`node:http`/`node:https`) as the default instead of fetch. `transport:
 * 'fetch'` or a `fetch` option still choose fetch. Browser builds never resolve this file.
 */
import { nodeEvent } from './node-event.ts'
import { nodeTransport } from './node.ts'
import { platform } from './platform.ts'

// Side effect by design: what `transport: 'auto'` means under Node.
platform.defaultTransport = nodeTransport
platform.event = nodeEvent

export * from './index.ts'
