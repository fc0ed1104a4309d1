/**
 * `@ssekit/polyfill` as Node loads it (the `node` export condition): the same exports as `index.ts`,
 * with the node transport (`node:http`/`node:https`) as the default instead of fetch
 * (`transport: fetchTransport` still chooses fetch). Browser builds never resolve this file.
 */
import { nodeTransport } from './node.ts'
import { platform } from './platform.ts'

// Side effect by design: the transport of a source that names none, under Node.
platform.transport = nodeTransport

export * from './index.ts'
