import { withQueryParam } from '@ssekit/polyfill'
import { isThenable } from './decode.ts'
import { misuse, needsPolyfill } from './invalid.ts'
import type { Options } from './options.ts'
import { parseRetryAfter, type DisconnectCause, type DisconnectCode } from './reconnect.ts'
import type { AttemptInfo, BackendKind, EventSourceConstructor, EventSourceLike, SSEMessageEvent } from './types.ts'

/**
 * What `@ssekit/client/polyfilled` hands the client (the only way the polyfill's code comes in):
 * the polyfill's `EventSource`, and the source of each attempt, whose request the client's options
 * make (headers, method, body, fetch, heartbeat) on the polyfill's seams.
 */
export interface PolyfillKit {
  EventSource: EventSourceConstructor
  open(o: Options, info: AttemptInfo, deliver: Deliver): EventSourceLike
}

/** Where the kit's source hands its message events, round the dispatch (see polyfill-request.ts). */
export type Deliver = (event: SSEMessageEvent) => void

/** The backend a client settled on at `connect()`. */
export interface Backend {
  /** `polyfill` reports statuses, ids and bodies; `native` and `custom` take a URL only. */
  kind: BackendKind
  EventSource: EventSourceConstructor
  /** Where the polyfill's request seams are available: with the polyfilled entry's polyfill. */
  kit: PolyfillKit | undefined
}

declare const EventSource: EventSourceConstructor | undefined

/** The polyfill, any copy of it, from any realm: no platform's `EventSource` has `serverRetry`. */
const isPolyfill = (Ctor: EventSourceConstructor) => 'serverRetry' in Ctor.prototype

/** The first of `names` that `o` has. */
const firstOf = (o: { [name: string]: unknown }, names: string[]) => names.filter((name) => o[name] !== undefined)[0]

/**
 * Settles the backend at `connect()`. An option that needs the polyfill with no polyfill at hand, or
 * with a backend that rules it out, is a `TypeError` that names it and says which import to use.
 */
export function resolveBackend(o: Options, kit: PolyfillKit | undefined): Backend {
  const option = o.backend || 'auto'
  const platform = typeof EventSource === 'function' ? EventSource : undefined
  // What only the polyfill can do; of that, what only its request seams can (the rest a bare polyfill class takes as options).
  const request = firstOf(o, ['headers', 'method', 'body', 'fetch'])
  const wants = request || (o.polyfill && 'polyfill')
  const seams = request || (o.polyfill && o.polyfill.heartbeatTimeout !== undefined && 'polyfill.heartbeatTimeout')
  const auto = option === 'auto'
  const chosen =
    option === 'polyfill' || (auto && (wants || !platform)) ? kit && kit.EventSource : auto || option === 'native' ? platform : option
  if (!chosen) {
    if (option === 'native') misuse("option `backend` is 'native' but this platform has no EventSource")
    needsPolyfill(`${wants && auto ? `option \`${wants}\`` : option === 'polyfill' ? "`backend: 'polyfill'`" : 'a platform without EventSource'} needs the polyfill:`)
  }
  // The polyfill as the global EventSource (its /auto entry, or a script tag) is still the polyfill.
  if (isPolyfill(chosen)) {
    if (seams && !kit) needsPolyfill(`option \`${seams}\` needs the polyfill's request seams:`)
    return { kind: 'polyfill', EventSource: chosen, kit }
  }
  if (wants) needsPolyfill(`option \`${wants}\` needs the polyfill, which \`backend\` rules out: leave it at 'auto' and`)
  return { kind: chosen === option ? 'custom' : 'native', EventSource: chosen, kit: undefined }
}

/**
 * Creates the `EventSource` of one attempt: the polyfilled entry's kit makes it (its message events
 * go to `deliver`), else it gets the URL (`requestUrl`'s) and, a polyfill, the last event id as its
 * `lastEventId` option (sent as `Last-Event-ID`); a URL-only backend gets the id in the query
 * (`lastEventIdQueryParam`, which the polyfill only uses when it is set).
 */
export function createSource(backend: Backend, o: Options, url: string, attempt: number, lastEventId: string, deliver: Deliver): EventSourceLike {
  const info: AttemptInfo = { attempt, lastEventId, url }
  if (backend.kit) return backend.kit.open(o, info, deliver)
  const param = o.lastEventIdQueryParam
  const withCredentials = !!o.withCredentials
  const polyfill = backend.kind === 'polyfill'
  let target = o.requestUrl ? o.requestUrl(info) : url
  if (isThenable(target)) needsPolyfill('option `requestUrl` gave a promise: only the polyfill waits for one;')
  // A re-created EventSource starts with an empty last event id and cannot be given one: the query carries it.
  if (lastEventId !== '' && param !== false && !(polyfill && !param)) target = withQueryParam(target as string, param || 'lastEventId', lastEventId)
  if (!polyfill) return new backend.EventSource(target as string, { withCredentials })
  const extra = o.polyfill || {}
  // The polyfill sends the id as Last-Event-ID, unless the query carries it.
  const init = { withCredentials, lastEventId: param ? '' : lastEventId, maxEventBytes: extra.maxEventBytes, transport: extra.transport }
  return new backend.EventSource(target as string, init as { withCredentials: boolean })
}

/** A cause that tells nothing but its code and what the backend gave. */
export const failure = (code: DisconnectCode, error: unknown): DisconnectCause => ({ code, status: undefined, retryAfter: undefined, headers: undefined, body: undefined, error })

/**
 * Reads an `error` event: the polyfill's carries an `EventSourceError` (code, status, response
 * headers for `Retry-After`, the start of the body) and the server's `retry:`; the `eventsource`
 * package's a numeric `code` (the status); the platform's nothing, so only `readyState` tells a
 * failure (CLOSED) from a lost connection (CONNECTING).
 */
export function describeDisconnect(event: Event, readyState: number, now: number): { cause: DisconnectCause; serverRetry: number | undefined } {
  const fields = event as Event & { error?: any; code?: unknown; serverRetry?: unknown }
  const error = fields.error
  const failed = readyState === 2
  const cause = failure(failed ? 'unknown' : 'network', event)
  // The polyfill's EventSourceError, from any copy or realm: its name and code say it.
  if (error && error.name === 'EventSourceError') {
    const response = error.response
    cause.code = error.code
    cause.status = error.status
    cause.body = error.body
    cause.error = error
    if (response) cause.retryAfter = parseRetryAfter((cause.headers = response.headers).get('retry-after'), now)
  } else if (failed && typeof fields.code === 'number') {
    cause.status = fields.code
    cause.code = fields.code === 200 ? 'content-type' : 'http-status'
  }
  return { cause, serverRetry: typeof fields.serverRetry === 'number' ? fields.serverRetry : undefined }
}
