/**
 * `@ssekit/polyfill/legacy`: the same exports as the main entry, plus what IE10/11-class browsers
 * need: the `XMLHttpRequest` transport (`xhrTransport`, and the default where fetch cannot stream),
 * stand-ins for `EventTarget`/`MessageEvent` where they cannot be constructed, and URL parsing
 * without `URL`. Import it instead of `@ssekit/polyfill`, not beside it; a script tag gets the same
 * from `ssekit-polyfill.min.js`.
 */
import './install-legacy.ts'

export * from './index.ts'
export { createXhrTransport, xhrTransport, type XhrTransportOptions } from './transport/xhr.ts'
