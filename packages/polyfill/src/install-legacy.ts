// Side effect by design: gives the EventSource what IE10/11-class browsers lack (constructible events,
// a URL parser, a body that streams) before the class is defined. The legacy entry and the script-tag
// bundle import this first; no other entry imports it, so modern bundles never carry these stand-ins.
import { constructibleEvents, nativeEvent, reflectedEvents, ShimEvent, ShimEventTarget } from './legacy-events.ts'
import { anchorParseUrl, regexOrigin } from './legacy-url.ts'
import { platform } from './platform.ts'
import { fetchTransport } from './transport/fetch.ts'
import { xhrTransport } from './transport/xhr.ts'

/** Whether the platform's `fetch` can stream a body as text (a `ReadableStream` body and `TextDecoder`). */
function fetchStreams(): boolean {
  return typeof fetch === 'function' && typeof ReadableStream === 'function' && typeof TextDecoder === 'function'
}

// The fast events (the default) where they can be made, the platform's own where only those can be
// constructed, else the stand-ins.
if (!constructibleEvents()) {
  platform.EventTarget = ShimEventTarget as never
  platform.event = (type, init) => new ShimEvent(type, init) as unknown as Event
} else if (!reflectedEvents()) {
  platform.event = nativeEvent
}
if (typeof URL !== 'function') {
  platform.parseUrl = anchorParseUrl
  platform.origin = regexOrigin
}
// Decided per request, so a page that gets a streaming fetch later (a polyfill loaded after this) uses it.
platform.transport = (request, handlers) => (fetchStreams() ? fetchTransport : xhrTransport)(request, handlers)
