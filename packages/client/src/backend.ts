import { EventSource as PolyfillEventSource, isEventSourceError, withQueryParam, type AttemptInfo, type EventSourceOptions } from '@ssekit/polyfill'
import type { Options } from './options.ts'
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

declare const EventSource: EventSourceConstructor | undefined

/**
 * Settles the backend at `connect()`. The polyfill alone can honour `headers`, `fetch` and
 * `polyfill`; asking for another backend with one of them is a `TypeError` that says so.
 */
export function resolveBackend(o: Options): Backend {
  const option = o.backend || 'auto'
  const platform = typeof EventSource === 'function' ? EventSource : undefined
  const needs = (['headers', 'fetch', 'polyfill'] as const).filter((name) => o[name] !== undefined)[0]
  // 'auto' is the platform's unless an option needs the polyfill or there is none; a constructor is itself.
  const chosen =
    option === 'polyfill' || (option === 'auto' && needs)
      ? PolyfillEventSource
      : option === 'auto'
        ? platform || PolyfillEventSource
        : option === 'native'
          ? platform
          : option
  if (!chosen) throw new TypeError("ssekit connect(): option `backend` is 'native' but this platform has no EventSource")
  // The script-tag polyfill installs itself as the global EventSource: it is still the polyfill.
  if (chosen === PolyfillEventSource) return { kind: 'polyfill', EventSource: chosen }
  if (needs) throw new TypeError(`ssekit connect(): option \`${needs}\` needs the polyfill backend (leave \`backend\` at 'auto')`)
  return { kind: chosen === option ? 'custom' : 'native', EventSource: chosen }
}

/**
 * Creates the `EventSource` of one attempt. The polyfill gets the last event id as its
 * `lastEventId` option (sent as `Last-Event-ID`) and per-attempt functions that see the client's
 * attempt number; a URL-only backend gets the id in the query (`lastEventIdQueryParam`, which
 * the polyfill only uses when it is set).
 */
export function createSource(backend: Backend, o: Options, url: string, attempt: number, lastEventId: string): EventSourceLike {
  const { headers, requestUrl } = o
  const param = o.lastEventIdQueryParam
  const withCredentials = !!o.withCredentials
  if (backend.kind === 'polyfill') {
    // The polyfill calls these on every request it makes, its transparent XHR recycles included.
    const info = (given: AttemptInfo): AttemptInfo => ({ attempt, lastEventId: given.lastEventId, url })
    // The `polyfill` extensions as given, then the client's own fields over anything else in there.
    const init: EventSourceOptions = {}
    const extra = o.polyfill as EventSourceOptions | undefined
    if (extra) Object.keys(extra).forEach((key) => (init[key as 'transport'] = extra[key as 'transport']))
    init.withCredentials = withCredentials
    init.lastEventId = lastEventId
    init.lastEventIdQueryParam = param || undefined
    init.fetch = o.fetch
    init.headers = typeof headers === 'function' ? (given) => headers(info(given)) : headers
    init.requestUrl = requestUrl && ((given) => requestUrl(info(given)))
    return new PolyfillEventSource(url, init)
  }
  let target = requestUrl ? requestUrl({ attempt, lastEventId, url }) : url
  // A re-created EventSource starts with an empty last event id and cannot be given one: the query carries it.
  if (lastEventId !== '' && param !== false) target = withQueryParam(target, param || 'lastEventId', lastEventId)
  return new backend.EventSource(target, { withCredentials })
}

/**
 * Reads an `error` event: the polyfill's carries an `EventSourceError` (code, status, response
 * headers for `Retry-After`) and the server's `retry:`; the `eventsource` package's a numeric
 * `code` (the status); the platform's nothing, so only `readyState` tells a failure (CLOSED) from a
 * lost connection (CONNECTING).
 */
export function describeDisconnect(event: Event, readyState: number, now: number): { cause: DisconnectCause; serverRetry: number | undefined } {
  const fields = event as Event & { error?: unknown; code?: unknown; serverRetry?: unknown }
  const error = fields.error
  const failed = readyState === 2
  const cause: DisconnectCause = { code: failed ? 'unknown' : 'network', status: undefined, retryAfter: undefined, error: event }
  if (isEventSourceError(error)) {
    cause.code = error.code
    cause.status = error.status
    cause.error = error
    if (error.response) cause.retryAfter = parseRetryAfter(error.response.headers.get('retry-after'), now)
  } else if (failed && typeof fields.code === 'number') {
    cause.status = fields.code
    cause.code = fields.code === 200 ? 'content-type' : 'http-status'
  }
  return { cause, serverRetry: typeof fields.serverRetry === 'number' ? fields.serverRetry : undefined }
}
