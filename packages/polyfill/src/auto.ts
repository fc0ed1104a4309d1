import { EventSource } from './event-source.ts'

declare const self: object | undefined
declare const window: object | undefined

// IE-class browsers have no `globalThis`.
const scope = (typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self : window) as { EventSource?: unknown }

// Side effect by design: this entry installs the polyfill only where the platform has no EventSource.
if (typeof scope.EventSource !== 'function') scope.EventSource = EventSource

export { EventSource }
