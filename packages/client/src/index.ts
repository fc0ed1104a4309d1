export { connect, SSEClient } from './client.ts'
export type { ClientStatus, Listener, ServerEvent } from './types.ts'
export type { Decode, EventsOf, SchemaMap } from './decode.ts'
export type { CloseInfo, ConnectOptions, ErrorInfo, GiveUpInfo, OpenInfo, ReconnectingInfo } from './options.ts'
export {
  defaultRetry,
  defaultShouldReconnect,
  type DisconnectCause,
  type ReconnectDecision,
  type ReconnectInfo,
  type RetryOptions,
  type RetryPolicy,
} from './reconnect.ts'
export type { BackendOption, EventSourceConstructor, EventSourceLike, PolyfillOptions } from './backend.ts'
export { ClientError, ConnectionError, DecodeError, isClientError, ListenerError, type ClientErrorCode } from './errors.ts'
