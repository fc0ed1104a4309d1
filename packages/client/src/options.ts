import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { AttemptInfo, FetchLike } from '@ssekit/polyfill'
import type { BackendOption, PolyfillOptions } from './backend.ts'
import type { Decode, SchemaMap } from './decode.ts'
import type { ConnectionError, DecodeError, ListenerError } from './errors.ts'
import { normalizeRetry, type DisconnectCause, type RetryOptions, type RetryPolicy } from './reconnect.ts'

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
  /** How long the client waits before it, in ms. */
  delay: number
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
  /** Who decided: `shouldReconnect`, `maxAttempts`, or `onReconnecting` returning false. */
  reason: 'should-reconnect' | 'max-attempts' | 'on-reconnecting'
  error: ConnectionError
}

/** What `onError` learns: an event that could not be decoded, or a listener or hook that threw. */
export interface ErrorInfo {
  error: DecodeError | ListenerError
  /** The event being handled, where there was one. */
  event: MessageEvent<string> | undefined
}

/** What `onClose` learns. */
export interface CloseInfo {
  /** `close()` (a `break` out of `for await` included), the `signal`, or the policy gave up. */
  reason: 'close' | 'abort' | 'give-up'
  lastEventId: string
  /** For `give-up`: why. */
  error: ConnectionError | undefined
}

/** The second argument of `connect()`. Every field is optional. */
export interface ConnectOptions<Events extends object> {
  /**
   * How an event's text becomes its data: `'text'`, `'json'` (empty data gives `undefined`), or a
   * function. With `schemas`, the schemas check what this gives.
   * @default 'text', or 'json' when `schemas` is given
   */
  decode?: 'text' | 'json' | ((data: string, event: MessageEvent<string>) => Events[keyof Events])
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
  /** The reconnection policy, a number (`maxAttempts`), or `false` (never reconnect). @default {} (every default of {@link RetryOptions}) */
  retry?: RetryOptions | number | false
  /** Which `EventSource` to drive. @default 'auto' */
  backend?: BackendOption
  /** Send cookies cross-origin. @default false */
  withCredentials?: boolean
  /**
   * Request headers, or a function of the attempt called before each one (to refresh a token).
   * Selects the polyfill: a browser's `EventSource` cannot send headers.
   * @default undefined
   */
  headers?: Record<string, string> | ((info: AttemptInfo) => Record<string, string>)
  /** The URL of each attempt, from the attempt and the last id (to sign it, say); works with every backend. @default undefined */
  requestUrl?: (info: AttemptInfo) => string
  /** The `fetch` the polyfill uses; selects the polyfill. @default undefined */
  fetch?: FetchLike
  /** The polyfill's other extensions (`heartbeatTimeout`, `maxEventBytes`, `transport`, `xhrRecycleAfter`); selects the polyfill. @default undefined */
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
   * An event could not be decoded or validated, or a listener threw. Without this hook such errors
   * go to the platform's `reportError`, else `console.error`: they never vanish.
   * @default undefined
   */
  onError?: (info: ErrorInfo) => void
  /** The client closed, for whatever reason; called once. @default undefined */
  onClose?: (info: CloseInfo) => void
}

/** The options after validation, with defaults applied. */
export interface NormalizedOptions {
  decode: Decode
  schemas: SchemaMap | undefined
  events: ReadonlyArray<string>
  retry: RetryPolicy
  backend: BackendOption
  withCredentials: boolean
  headers: ConnectOptions<object>['headers']
  requestUrl: ConnectOptions<object>['requestUrl']
  fetch: FetchLike | undefined
  polyfill: PolyfillOptions | undefined
  lastEventId: string
  lastEventIdQueryParam: string | undefined
  queryParamForPolyfill: boolean
  pauseWhenHidden: boolean
  bufferSize: number
  signal: AbortSignal | undefined
  /** The first option that only the polyfill can honour, if any. */
  needsPolyfill: string | undefined
  hooks: Pick<ConnectOptions<object>, 'onOpen' | 'onReconnecting' | 'onGiveUp' | 'onError' | 'onClose'>
}

function invalid(option: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : String(value)
  throw new TypeError(`ssekit connect(): option \`${option}\` must be ${expected}, got ${shown}`)
}

function optionalFunction(option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function') invalid(option, 'a function', value)
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}

/** Validates `connect()`'s options and applies the defaults; a bad option throws a `TypeError` naming it. */
export function normalizeOptions(options: ConnectOptions<object> | undefined): NormalizedOptions {
  const o: ConnectOptions<any> = options === undefined ? {} : options
  if (!isObject(o)) invalid('options', 'an object', o)

  const schemas = o.schemas as SchemaMap | undefined
  if (schemas !== undefined) {
    if (!isObject(schemas)) invalid('schemas', 'an object of Standard Schema validators by event type', schemas)
    for (const type in schemas) {
      const schema = schemas[type] as { '~standard'?: { validate?: unknown } } | undefined
      if (schema !== undefined && !(isObject(schema) || typeof schema === 'function')) invalid(`schemas.${type}`, 'a Standard Schema', schema)
      if (schema !== undefined && !(schema['~standard'] && typeof schema['~standard'].validate === 'function')) {
        invalid(`schemas.${type}`, 'a Standard Schema (an object with `~standard.validate`)', schema)
      }
    }
  }
  const decode = o.decode === undefined ? (schemas ? 'json' : 'text') : o.decode
  if (decode !== 'text' && decode !== 'json' && typeof decode !== 'function') invalid('decode', "'text', 'json' or a function", decode)

  const events: string[] = []
  if (o.events !== undefined) {
    if (!isObject(o.events) || typeof (o.events as ArrayLike<unknown>).length !== 'number') invalid('events', 'an array of event types', o.events)
    const given = o.events as ArrayLike<unknown>
    for (let i = 0; i < given.length; i++) {
      if (typeof given[i] !== 'string') invalid(`events[${i}]`, 'a string', given[i])
      events.push(given[i] as string)
    }
  }

  const backend = o.backend === undefined ? 'auto' : o.backend
  if (backend !== 'auto' && backend !== 'native' && backend !== 'polyfill' && typeof backend !== 'function') {
    invalid('backend', "'auto', 'native', 'polyfill' or an EventSource constructor", backend)
  }
  if (o.headers !== undefined && typeof o.headers !== 'function' && !isObject(o.headers)) {
    invalid('headers', 'an object of header names to values, or a function returning one', o.headers)
  }
  optionalFunction('requestUrl', o.requestUrl)
  optionalFunction('fetch', o.fetch)
  if (o.polyfill !== undefined && !isObject(o.polyfill)) invalid('polyfill', 'an object of polyfill options', o.polyfill)
  if (o.lastEventId !== undefined && typeof o.lastEventId !== 'string') invalid('lastEventId', 'a string', o.lastEventId)
  const param = o.lastEventIdQueryParam
  if (param !== undefined && param !== false && (typeof param !== 'string' || param === '')) {
    invalid('lastEventIdQueryParam', 'a non-empty string or false', param)
  }
  if (o.withCredentials !== undefined && typeof o.withCredentials !== 'boolean') invalid('withCredentials', 'a boolean', o.withCredentials)
  if (o.pauseWhenHidden !== undefined && typeof o.pauseWhenHidden !== 'boolean') invalid('pauseWhenHidden', 'a boolean', o.pauseWhenHidden)
  const bufferSize = o.bufferSize === undefined ? 256 : o.bufferSize
  if (typeof bufferSize !== 'number' || !(bufferSize >= 1) || bufferSize % 1 !== 0) invalid('bufferSize', 'a whole number ≥ 1', bufferSize)
  const signal = o.signal
  if (signal !== undefined && !(isObject(signal) && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')) {
    invalid('signal', 'an AbortSignal', signal)
  }
  const hookNames = ['onOpen', 'onReconnecting', 'onGiveUp', 'onError', 'onClose'] as const
  for (let i = 0; i < hookNames.length; i++) optionalFunction(hookNames[i]!, o[hookNames[i]!])

  let needsPolyfill: string | undefined
  if (o.headers !== undefined) needsPolyfill = 'headers'
  else if (o.fetch !== undefined) needsPolyfill = 'fetch'
  else if (o.polyfill !== undefined) needsPolyfill = 'polyfill'

  return {
    decode,
    schemas,
    events,
    retry: normalizeRetry(o.retry),
    backend,
    withCredentials: !!o.withCredentials,
    headers: o.headers,
    requestUrl: o.requestUrl,
    fetch: o.fetch,
    polyfill: o.polyfill,
    lastEventId: o.lastEventId === undefined ? '' : o.lastEventId,
    lastEventIdQueryParam: param === undefined ? 'lastEventId' : param === false ? undefined : param,
    queryParamForPolyfill: typeof param === 'string',
    pauseWhenHidden: !!o.pauseWhenHidden,
    bufferSize,
    signal,
    needsPolyfill,
    hooks: { onOpen: o.onOpen, onReconnecting: o.onReconnecting, onGiveUp: o.onGiveUp, onError: o.onError, onClose: o.onClose },
  }
}
