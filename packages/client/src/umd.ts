// Entry of the script-tag bundle `ssekit.min.js` (global `SSEKit`): the client, and the polyfill
// class for pages that want it directly. The polyfill comes with its legacy platform (XHR transport,
// IE stand-ins); the bundle installs nothing: the client picks the polyfill itself where the
// platform has no EventSource.
import '@ssekit/polyfill/legacy'

export * from './index.ts'
export { EventSource, EventSourceError, isEventSourceError } from '@ssekit/polyfill'
