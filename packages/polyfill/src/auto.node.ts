/**
 * `@ssekit/polyfill/auto` as Node loads it (the `node` export condition): installs
 * `globalThis.EventSource` where missing, as `auto.ts` does, on the node transport by default.
 */
import './index.node.ts'

export { EventSource } from './auto.ts'
