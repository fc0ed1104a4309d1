// Entry of the script-tag bundle `ssekit.min.js` (global `SSEKit`): the polyfilled client, and the
// polyfill's class, transports and composable pieces for pages that want them directly (the
// pieces are transports: they work with the class of `ssekit-polyfill.min.js` too). The polyfill comes with its
// legacy platform (XHR transport, IE stand-ins); the bundle installs nothing: the client picks the
// polyfill itself where the platform has no EventSource.
import '@ssekit/polyfill/legacy'

export * from './polyfilled.ts'
export {
  addHeaders,
  createFetchTransport,
  createXhrTransport,
  EventSource,
  EventSourceError,
  fetchTransport,
  isEventSourceError,
  lastEventIdToQuery,
  withHeartbeat,
  withQueryParam,
  withRequest,
  xhrTransport,
} from '@ssekit/polyfill/legacy'
