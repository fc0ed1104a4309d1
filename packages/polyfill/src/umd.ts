// Entry of the script-tag bundle `ssekit-polyfill.min.js` (global `SSEKitPolyfill`): the legacy
// platform, then `EventSource` installed where it is missing. The bundle is the polyfill itself:
// the class, its errors and its transports. The composable pieces (withRequest, withHeartbeat,
// addHeaders, …) come with `ssekit.min.js` (global `SSEKit`), whose transports work with this class.
import './install-legacy.ts'
import './auto.ts'

export { EventSource } from './event-source.ts'
export { EventSourceError, isEventSourceError } from './errors.ts'
export { createFetchTransport, fetchTransport } from './transport/fetch.ts'
export { createXhrTransport, xhrTransport } from './transport/xhr.ts'
