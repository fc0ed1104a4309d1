// Entry of the script-tag bundle `ssekit.min.js` (global `SSEKit`): the polyfilled client, and the
// polyfill's class and transports for pages that want them directly. The polyfill comes with its
// legacy platform (XHR transport, IE stand-ins); the bundle installs nothing: the client picks the
// polyfill itself where the platform has no EventSource.
import '@ssekit/polyfill/legacy'

export * from './polyfilled.ts'
export { createXhrTransport, EventSource, EventSourceError, isEventSourceError, withHeartbeat, withRequest } from '@ssekit/polyfill/legacy'
