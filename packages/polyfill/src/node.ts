/**
 * `@ssekit/polyfill/node`: the Node-only transport on `node:http`/`node:https`, kept out of the main
 * entry so that no browser bundle ever sees `node:` imports.
 *
 * @example
 * import { EventSource } from '@ssekit/polyfill'
 * import { nodeTransport } from '@ssekit/polyfill/node'
 * const source = new EventSource('https://example.com/events', { transport: nodeTransport })
 */
export { createNodeTransport, nodeTransport, type NodeTransportOptions } from './transport/node.ts'
