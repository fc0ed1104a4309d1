import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { ConnectionError, DecodeError, ListenerError } from './errors.ts'
import { copyDefined, normalizeRetry, type DisconnectCause, type RetryOptions, type RetryPolicy } from './reconnect.ts'
import type { AttemptInfo, EventSourceConstructor, HeadersLike, MaybePromise, SSEMessageEvent } from './types.ts'

/** What `onOpen` learns. */
export interface OpenInfo {
  /** 0 for the first connection, else the reconnection attempt that succeeded. */
  attempt: number
  /** The id the connection resumed from (`''` when none). */
  lastEventId: string
}

/** What `onReconnecting` learns; return `false` from the hook to stop instead. */
export interface ReconnectingInfo {
  /** 1 for the first reconnection after a loss, then 2, 3, … until a connection is stable. */
  attempt: number
  /** How long the client waits before it, in ms (0 when `byBackend`: the backend's own wait, which its API does not tell). */
  delay: number
  /**
   * True when a URL-only backend (the browser's own `EventSource`) makes this reconnection by
   * itself after a plain drop, sending `Last-Event-ID`; if that fails, the client's policy takes over.
   */
  byBackend: boolean
  /** The id it resumes from (`''` when none). */
  lastEventId: string
  cause: DisconnectCause
}

/** What `onGiveUp` learns. The client is closed right after. */
export interface GiveUpInfo {
  /** The attempt that was refused. */
  attempt: number
  lastEventId: string
  cause: DisconnectCause
  /**
   * Who decided: `shouldReconnect`, `maxAttempts`, `onReconnecting` returning false, or
   * `no-terminator`: the stream ended (`endOfStream: 'done'`) before its `terminator` came.
   */
  reason: 'should-reconnect' | 'max-attempts' | 'on-reconnecting' | 'no-terminator'
  error: ConnectionError
}

/** What `onError` learns: an event that could not be decoded, or a listener or hook that threw. */
export interface ErrorInfo {
  error: DecodeError | ListenerError
  /** The event being handled, where there was one. */
  event: SSEMessageEvent | undefined
}

/** What `onClose` learns. */
export interface CloseInfo {
  /**
   * `close()` (a `break` out of `for await` included), the `signal`, the policy gave up, or
   * `done`: the stream finished (its `terminator` came, or it ended where `endOfStream` is `'done'`).
   */
  reason: 'close' | 'abort' | 'give-up' | 'done'
  lastEventId: string
  /** For `give-up`: why. */
  error: ConnectionError | undefined
}

/**
 * Which `EventSource` the client drives: `'auto'` (the platform's where it exists and no option
 * needs more, else the polyfill where the entry has it), `'native'`, `'polyfill'` (needs
 * `@ssekit/client/polyfilled`), or a constructor: the polyfill's `EventSource` (recognised by its
 * shape, any copy), or any other `EventSource`-shaped class, driven like the platform's.
 */
export type BackendOption = 'auto' | 'native' | 'polyfill' | EventSourceConstructor

/**
 * The polyfill's own extensions (any of them selects the polyfill): each maps onto the polyfill's
 * seams. The XHR transport's `recycleAfter` is `transport: createXhrTransport({ recycleAfter })`
 * from `@ssekit/polyfill/legacy`.
 */
export interface PolyfillOptions {
  /**
   * Reconnect when nothing (not even a comment) arrives for this many ms: the polyfill's
   * `withHeartbeat`. Off by default: only a server that sends a comment regularly can be held to it.
   * @default undefined
   */
  heartbeatTimeout?: number
  /** The largest event accepted, in UTF-16 code units of decoded text; `Infinity`: no cap. @default 4194304 (4 MiB) */
  maxEventBytes?: number
  /**
   * The polyfill transport the request goes through: `createXhrTransport(…)` (`/legacy`),
   * `nodeTransport` (`/node`), `withHeartbeat(…)`, your own. The client's per-attempt request
   * (headers, method, body) wraps it. Typed loosely, so these types need no polyfill types.
   * @default the platform's
   */
  transport?: (request: never, handlers: never) => () => void
}

/** The minimal `fetch` the polyfill's fetch transport calls (the platform's `fetch` fits). */
export type FetchLike = (url: string, init: never) => PromiseLike<unknown>

/**
 * The second argument of `connect()`. Every field is optional; a bad or unknown one is a `TypeError`
 * (outside production bundles, which leave the checks out).
 */
export interface ConnectOptions<Events extends object> {
  /**
   * How an event's text becomes its data: `'text'`, `'json'` (empty data gives `undefined`), or a
   * function. With `schemas`, the schemas check what this gives.
   * @default 'text', or 'json' when `schemas` is given
   */
  decode?: 'text' | 'json' | ((data: string, event: SSEMessageEvent) => Events[keyof Events])
  /**
   * Standard Schema validators by event type (zod, valibot, arktype, …). Without a type argument,
   * `connect()` takes the event map from them. An event that fails reaches `onError` as a
   * `DecodeError` and is not delivered; the stream goes on.
   * @default undefined
   */
  schemas?: { [K in keyof Events]?: StandardSchemaV1<unknown, Events[K]> }
  /**
   * Event types to receive before any `on()` names them: an `EventSource` only delivers the types
   * it listens to, so these are what `onAny()` and `for await` see besides `message`, the keys of
   * `schemas` and the types given to `on()`/`once()`.
   * @default []
   */
  events?: ReadonlyArray<keyof Events & string>
  /**
   * The event that ends the stream: an event type (`'message_stop'`), or `{ type?, data }` for an
   * event whose data is exactly `data` (`{ data: '[DONE]' }`, type `message` unless given). It is
   * never decoded nor delivered: the client closes (`onClose` reason `done`, `for await` ends).
   * @default undefined
   */
  terminator?: string | { type?: string; data: string }
  /**
   * What the server ending the response means: `'reconnect'` (a feed: resume, as the spec does) or
   * `'done'` (an answer: close, `onClose` reason `done`; with a `terminator` that has not come, the
   * client gives up with a `ConnectionError` instead: the answer was cut short). A browser's own
   * `EventSource` cannot tell an end from a drop: over it, `'done'` takes either for the end.
   * @default 'done' when the request has a `body`, else 'reconnect'
   */
  endOfStream?: 'done' | 'reconnect'
  /** The reconnection policy, a number (`maxAttempts`), or `false` (never reconnect). @default {} (every default of {@link RetryOptions}) */
  retry?: RetryOptions | number | false
  /** Which `EventSource` to drive; see {@link BackendOption}. @default 'auto' */
  backend?: BackendOption
  /** Send cookies cross-origin. @default false */
  withCredentials?: boolean
  /**
   * Request headers (a plain object, `[name, value]` pairs or a `Headers`), or a function of the
   * attempt, called before each one, that returns them or a promise of them (to refresh a token):
   * the request waits for it, and one that throws or rejects fails that attempt (reported to
   * `onError`, then the policy decides), so no request goes out without them. Polyfill only.
   * @default undefined
   */
  headers?: HeadersLike | ((info: AttemptInfo) => MaybePromise<HeadersLike | undefined>)
  /** The request method (`'POST'`, say). Polyfill only. @default 'GET' */
  method?: string
  /**
   * The request body: a string (or what the transport can send), or a function of the attempt
   * (sync or async) so a resumed request can say where it left off. Polyfill only. See `endOfStream`:
   * a request with a body is not made again after the stream ended, unless you ask for it.
   * @default undefined
   */
  body?: string | object | ((info: AttemptInfo) => MaybePromise<string | object>)
  /**
   * The URL of each attempt, from the attempt and the last id (to sign it, say); may return a
   * promise over the polyfill. Works with every backend.
   * @default undefined
   */
  requestUrl?: (info: AttemptInfo) => MaybePromise<string>
  /** The `fetch` the polyfill uses (its `createFetchTransport`). Polyfill only. @default undefined */
  fetch?: FetchLike
  /** The polyfill's other extensions, see {@link PolyfillOptions}. Polyfill only. @default undefined */
  polyfill?: PolyfillOptions
  /** Resume from this id on the first connection too. @default '' */
  lastEventId?: string
  /**
   * The query parameter that carries the last event id when the client re-creates an `EventSource`
   * that cannot send headers (native or custom); `false` sends none. Through the polyfill the id goes
   * in the `Last-Event-ID` header, unless you set this option, which then applies there too.
   * @default 'lastEventId'
   */
  lastEventIdQueryParam?: string | false
  /** Close the connection while the page is hidden and reconnect at once when it shows. @default false */
  pauseWhenHidden?: boolean
  /**
   * How many events an async iterator holds for a slow consumer. When one holds this many, the
   * client stops reading: it closes the connection (status `paused`) and, once the consumer has
   * taken half of them, reconnects from the last event id. Events the server sends meanwhile are
   * only recovered if it honours the id.
   * @default 256
   */
  bufferSize?: number
  /** Closes the client for good when it aborts (reason `abort`). @default undefined */
  signal?: AbortSignal
  /** The connection opened. @default undefined */
  onOpen?: (info: OpenInfo) => void
  /** About to wait and reconnect; return `false` to give up instead. @default undefined */
  onReconnecting?: (info: ReconnectingInfo) => boolean | void
  /** The policy or `onReconnecting` stopped reconnecting; the client closes next. @default undefined */
  onGiveUp?: (info: GiveUpInfo) => void
  /**
   * An event could not be decoded or validated, a listener threw, or a per-attempt function
   * (`headers`, `body`, `requestUrl`) failed. Without this hook such errors go to the platform's
   * `reportError`, else `console.error`: they never vanish.
   * @default undefined
   */
  onError?: (info: ErrorInfo) => void
  /** The client closed, for whatever reason; called once. @default undefined */
  onClose?: (info: CloseInfo) => void
}

/**
 * The options after validation: every field as the caller gave it (each default is applied where
 * the field is read), but `retry` as a complete policy.
 */
export type Options = Omit<ConnectOptions<any>, 'retry'> & { retry: RetryPolicy }

/**
 * The options as the client reads them: a copy of the caller's own fields (later changes to the
 * caller's object do not reach it), `retry` made a complete policy. Checks nothing: that is
 * `checkOptions`, which the entries run before this outside production bundles.
 */
export function normalizeOptions(options: ConnectOptions<object> | undefined): Options {
  const o = copyDefined({}, options || {}) as Options
  o.retry = normalizeRetry(o.retry)
  return o
}
