// Entry of the script-tag bundle `ssekit.min.js` (global `SSEKit`): the client, and the polyfill
// class for pages that want it directly. It installs nothing: the client picks the polyfill itself
// where the platform has no EventSource.
export * from './index.ts'
export { EventSource, EventSourceError, isEventSourceError } from '@ssekit/polyfill'
