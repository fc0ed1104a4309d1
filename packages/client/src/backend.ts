import { EventSource as PolyfillEventSource, isEventSourceError, type AttemptInfo, type EventSourceOptions, type FetchLike } from '@ssekit/polyfill'
import { parseRetryAfter, type DisconnectCause } from './reconnect.ts'

/** What the client needs of an `EventSource`: the platform's, the polyfill, or one of your own. */
export interface EventSourceLike {
  readonly readyState: number
  close(): void
  addEventListener(type: string, listener: (event: any) => void): void
  removeEventListener(type: string, listener: (event: any) => void): void
}

/** Any `EventSource`-shaped constructor (`globalThis.EventSource`, the polyfill, the `eventsource` package, …). */
export interface EventSourceConstructor {
  new (url: string, eventSourceInitDict?: { withCredentials?: boolean }): EventSourceLike
}

/**
 * Which `EventSource` the client drives: `'auto'` (the platform's where it exists and no option
 * needs more, else the polyfill), `'native'`, `'polyfill'`, or a constructor of your own (driven
 * like the platform's: URL and `withCredentials` only).
 */
export type BackendOption = 'auto' | 'native' | 'polyfill' | EventSourceConstructor

/** The polyfill's own extensions, passed through as they are (giving any of them selects the polyfill). */
export type PolyfillOptions = Pick<EventSourceOptions, 'heartbeatTimeout' | 'maxEventBytes' | 'transport' | 'xhrRecycleAfter'>

/** The backend a client settled on at `connect()`. */
export interface Backend {
  /** `polyfill` can send headers and reports statuses; `native` and `custom` take a URL only. */
  kind: 'native' | 'polyfill' | 'custom'
  EventSource: EventSourceConstructor
}

/** What one connection attempt is made of. */
export interface SourceRequest {
  url: string
  withCredentials: boolean
  headers: Record<string, string> | ((info: AttemptInfo) => Record<string, string>) | undefined
  requestUrl: ((info: AttemptInfo) => string) | undefined
  fetch: FetchLike | undefined
  polyfill: PolyfillOptions | undefined
  /** The query parameter that carries the last event id; undefined: none. */
  lastEventIdQueryParam: string | undefined
  /** Whether the polyfill too uses the query parameter rather than the `Last-Event-ID` header. */
  queryParamForPolyfill: boolean
}

declare const EventSource: EventSourceConstructor | undefined

function platformEventSource(): EventSourceConstructor | undefined {
  return typeof EventSource === 'function' ? EventSource : undefined
}

/**
 * Settles the backend at `connect()`. `needsPolyfill` names an option only the polyfill can honour;
 * asking for another backend with it is a `TypeError` that says so.
 */
export function resolveBackend(option: BackendOption, needsPolyfill: string | undefined): Backend {
  const polyfill: Backend = { kind: 'polyfill', EventSource: PolyfillEventSource }
  // The script-tag polyfill installs itself as the global EventSource: it is still the polyfill.
  if (option === 'polyfill' || option === PolyfillEventSource) return polyfill
  const native = platformEventSource()
  if (option === 'auto') return needsPolyfill || !native || native === PolyfillEventSource ? polyfill : { kind: 'native', EventSource: native }
  const cannot = (what: string) =>
    new TypeError(`ssekit connect(): option \`${needsPolyfill}\` needs the polyfill backend; ${what} cannot send it (leave \`backend\` at 'auto' or set it to 'polyfill')`)
  if (option === 'native') {
    if (!native) throw new TypeError("ssekit connect(): option `backend` is 'native' but this platform has no EventSource (use 'auto' or 'polyfill')")
    if (native === PolyfillEventSource) return polyfill
    if (needsPolyfill) throw cannot('the native EventSource')
    return { kind: 'native', EventSource: native }
  }
  if (needsPolyfill) throw cannot('a custom EventSource')
  return { kind: 'custom', EventSource: option }
}

/** `url` with `name=value` in its query (replacing an earlier value); the fragment stays last. */
export function withQueryParam(url: string, name: string, value: string): string {
  const hashAt = url.indexOf('#')
  const hash = hashAt < 0 ? '' : url.slice(hashAt)
  let rest = hashAt < 0 ? url : url.slice(0, hashAt)
  const queryAt = rest.indexOf('?')
  const pair = encodeURIComponent(name) + '=' + encodeURIComponent(value)
  if (queryAt < 0) return rest + '?' + pair + hash
  const kept: string[] = []
  const params = rest.slice(queryAt + 1).split('&')
  for (let i = 0; i < params.length; i++) {
    const key = params[i]!.split('=')[0]!
    let decoded = key
    try {
      decoded = decodeURIComponent(key.replace(/\+/g, ' '))
    } catch {
      // A malformed escape is not our parameter; keep it as it is.
    }
    if (params[i] !== '' && decoded !== name) kept.push(params[i]!)
  }
  kept.push(pair)
  rest = rest.slice(0, queryAt)
  return rest + '?' + kept.join('&') + hash
}

/**
 * Creates the `EventSource` of one attempt. The polyfill gets the last event id as its
 * `lastEventId` option (sent as `Last-Event-ID`) and per-attempt functions that see the client's
 * attempt number; a URL-only backend gets the id in the query.
 */
export function createSource(backend: Backend, request: SourceRequest, attempt: number, lastEventId: string): EventSourceLike {
  if (backend.kind === 'polyfill') {
    const init: EventSourceOptions = { withCredentials: request.withCredentials, lastEventId }
    // The polyfill calls these on every request it makes, its transparent XHR recycles included.
    const info = (given: AttemptInfo): AttemptInfo => ({ attempt, lastEventId: given.lastEventId, url: request.url })
    const headers = request.headers
    if (headers) init.headers = typeof headers === 'function' ? (given) => headers(info(given)) : headers
    const requestUrl = request.requestUrl
    if (requestUrl) init.requestUrl = (given) => requestUrl(info(given))
    if (request.fetch) init.fetch = request.fetch
    if (request.queryParamForPolyfill && request.lastEventIdQueryParam) init.lastEventIdQueryParam = request.lastEventIdQueryParam
    const extra = request.polyfill
    if (extra) {
      if (extra.heartbeatTimeout !== undefined) init.heartbeatTimeout = extra.heartbeatTimeout
      if (extra.maxEventBytes !== undefined) init.maxEventBytes = extra.maxEventBytes
      if (extra.transport !== undefined) init.transport = extra.transport
      if (extra.xhrRecycleAfter !== undefined) init.xhrRecycleAfter = extra.xhrRecycleAfter
    }
    return new PolyfillEventSource(request.url, init)
  }
  let url = request.requestUrl ? request.requestUrl({ attempt, lastEventId, url: request.url }) : request.url
  // A re-created EventSource starts with an empty last event id and cannot be given one: the query carries it.
  if (lastEventId !== '' && request.lastEventIdQueryParam) url = withQueryParam(url, request.lastEventIdQueryParam, lastEventId)
  return new backend.EventSource(url, { withCredentials: request.withCredentials })
}

/**
 * Reads an `error` event: the polyfill's carries an `EventSourceError` (code, status, response
 * headers for `Retry-After`) and the server's `retry:`; the `eventsource` package's a numeric
 * `code` (the status); the platform's nothing, so only `readyState` tells a failure (CLOSED) from a
 * lost connection (CONNECTING).
 */
export function describeDisconnect(event: Event, readyState: number, now: number): { cause: DisconnectCause; serverRetry: number | undefined } {
  const fields = event as Event & { error?: unknown; code?: unknown; serverRetry?: unknown }
  const serverRetry = typeof fields.serverRetry === 'number' ? fields.serverRetry : undefined
  const error = fields.error
  if (isEventSourceError(error)) {
    const retryAfter = error.response ? parseRetryAfter(error.response.headers.get('retry-after'), now) : undefined
    return { cause: { code: error.code, status: error.status, retryAfter, error }, serverRetry }
  }
  const failed = readyState === 2
  if (failed && typeof fields.code === 'number') {
    const status = fields.code
    return { cause: { code: status === 200 ? 'content-type' : 'http-status', status, retryAfter: undefined, error: event }, serverRetry }
  }
  return { cause: { code: failed ? 'unknown' : 'network', status: undefined, retryAfter: undefined, error: event }, serverRetry }
}
