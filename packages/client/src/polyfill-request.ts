// The client's options on the polyfill's seams. Only `@ssekit/client/polyfilled` (and the script-tag
// bundle) import this file: it is where the polyfill's code comes into the client.
import { addHeaders, createFetchTransport, EventSource, lastEventIdToQuery, withHeartbeat, withRequest, type Transport, type TransportRequest } from '@ssekit/polyfill'
import type { PolyfillKit } from './backend.ts'
import { isThenable } from './decode.ts'
import { ListenerError } from './errors.ts'
import { reportUnhandled } from './hooks.ts'
import { misuse } from './invalid.ts'
import type { Options } from './options.ts'
import type { AttemptInfo, EventSourceLike, SSEMessageEvent } from './types.ts'

/**
 * Calls the option `name`'s function with `info` (or takes its value), then `then` with the result,
 * at once or when its promise settles; what it throws or rejects with comes out as a
 * `ListenerError` naming the option, which fails the attempt (the polyfill's `request` error).
 * No `Promise` of its own: the ES5 bundle's callback path runs without one.
 */
function step<T>(name: string, given: T | ((info: AttemptInfo) => unknown) | undefined, info: AttemptInfo, then: (value: T) => unknown): unknown {
  const fail = (cause: unknown) => {
    throw new ListenerError(name, cause)
  }
  let value: unknown
  try {
    value = typeof given === 'function' ? (given as (info: AttemptInfo) => unknown)(info) : given
  } catch (cause) {
    fail(cause)
  }
  return isThenable(value) ? value.then((settled) => then(settled as T), fail) : then(value as T)
}

/**
 * The transport of one client attempt: the request step (URL, method, headers, body, the id in the
 * query) around the heartbeat around the chosen transport (`polyfill.transport`, or `fetch`'s).
 * `info.attempt` is the client's; the id is the polyfill's own, so an XHR recycle inside one
 * attempt resumes from where it is.
 */
function transport(o: Options, info: AttemptInfo): Transport | undefined {
  const extra = o.polyfill || {}
  let chosen = (extra.transport as Transport | undefined) || (o.fetch ? createFetchTransport(o.fetch as never) : undefined)
  if (extra.heartbeatTimeout) chosen = withHeartbeat(extra.heartbeatTimeout, chosen)
  const { headers, body, requestUrl, method } = o
  const param = o.lastEventIdQueryParam
  // Headers given as they are (not a function) are read now: a value no header can carry is the
  // caller's mistake, a TypeError out of connect() (the first attempt starts there), not a failed attempt.
  if (headers && typeof headers !== 'function') {
    try {
      addHeaders({ headers: {} }, headers as Parameters<typeof addHeaders>[1])
    } catch (error) {
      misuse(`option \`headers\`: ${(error as Error).message}`)
    }
  }
  if (!(headers || body !== undefined || requestUrl || method || param)) return chosen
  return withRequest((request: TransportRequest) => {
    const each: AttemptInfo = { attempt: info.attempt, lastEventId: request.lastEventId, url: info.url }
    return step('requestUrl', requestUrl, each, (url: string | undefined) => {
      if (url !== undefined) request.url = url
      if (param) lastEventIdToQuery(request, param)
      if (method) request.method = method
      return step('headers', headers, each, (given) => {
        if (given) addHeaders(request, given as Parameters<typeof addHeaders>[1])
        return step('body', body, each, (given) => {
          request.body = given as TransportRequest['body']
        })
      })
    }) as void
  }, chosen)
}

/**
 * The polyfill and the option mapping, as the polyfilled entry hands them to the client. The source
 * it opens is the client's alone, so its message events go straight to `deliver`, round the DOM
 * dispatch none of the client's listeners sees (in Chromium ~0.7 µs an event, more than parsing it;
 * in Node about the client's whole cost): this copy of the polyfill dispatches every event through
 * `this.dispatchEvent`. `open` and `error` (no string `data`) are dispatched as always.
 */
export const polyfillKit: PolyfillKit = {
  EventSource: EventSource as unknown as PolyfillKit['EventSource'],
  open(o, info, deliver) {
    const init = { withCredentials: !!o.withCredentials, lastEventId: info.lastEventId, maxEventBytes: (o.polyfill || {}).maxEventBytes, transport: transport(o, info) }
    const source = new EventSource(info.url, init)
    const dispatch = source.dispatchEvent
    source.dispatchEvent = (event) => {
      if (typeof (event as MessageEvent).data !== 'string') return dispatch.call(source, event)
      // The client's path catches what listeners and hooks throw; this is the dispatch's own guarantee.
      try {
        deliver(event as SSEMessageEvent)
      } catch (error) {
        reportUnhandled(error)
      }
      return true
    }
    return source as unknown as EventSourceLike
  },
}
