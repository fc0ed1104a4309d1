import { createClient, type Connect } from './client.ts'
import { optionChecks } from './validate.ts'

/**
 * Opens a typed Server-Sent Events connection over the platform's `EventSource` (or the `backend`
 * you give). This entry carries no polyfill: for one (no native `EventSource`, or `headers`,
 * `method`, `body`, …) import `connect` from `@ssekit/client/polyfilled`, or give
 * `backend: EventSource` from `@ssekit/polyfill`. Under Node, `@ssekit/client` is the polyfilled entry.
 *
 * @example
 * type Events = { message: string; tick: number; myEvent: { text: string } }
 * const sse = connect<Events>('/notify', { decode: 'json', retry: { maxAttempts: 10 } })
 * const off = sse.on('myEvent', (data) => console.log(data.text))
 *
 * @example
 * const sse = connect('/notify', { schemas: { tick: z.number() } })
 * sse.on('tick', (n) => n.toFixed(2))
 */
export const connect: Connect = (url: string | URL, options?: object) => createClient(url, options, undefined, optionChecks())

export type { Connect } from './client.ts'
export type { AttemptInfo, BackendKind, ClientStatus, EventSourceConstructor, EventSourceLike, HeadersLike, Listener, MaybePromise, ServerEvent, SSEClient, SSEMessageEvent } from './types.ts'
export type { Decode, EventsOf, SchemaMap } from './decode.ts'
export type { BackendOption, CloseInfo, ConnectOptions, ErrorInfo, FetchLike, GiveUpInfo, OpenInfo, PolyfillOptions, ReconnectingInfo } from './options.ts'
export {
  defaultRetry,
  defaultShouldReconnect,
  type DisconnectCause,
  type DisconnectCode,
  type ReconnectDecision,
  type ReconnectInfo,
  type RetryOptions,
  type RetryPolicy,
} from './reconnect.ts'
export { ClientError, ConnectionError, DecodeError, isClientError, ListenerError, type ClientErrorCode } from './errors.ts'
