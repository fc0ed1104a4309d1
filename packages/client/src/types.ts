// The client's shared types, a leaf every other file may import. No DOM-only type appears here or in
// any public signature: the shipped `.d.ts` compiles in a Node-only project (`lib: ["es2022"]`,
// `@types/node`, no DOM lib), where `MessageEvent` exists but is not generic.

/**
 * The raw event a listener gets beside the decoded data: the platform's `MessageEvent` (the DOM's,
 * or Node's), whose `data` is the server's text and `lastEventId` the id.
 */
export interface SSEMessageEvent extends MessageEvent {
  readonly data: string
  readonly lastEventId: string
}

/**
 * A listener of one event type: the decoded data first, then the raw event. A listener of an event
 * whose data is `void` or `undefined` can simply take no arguments.
 */
export type Listener<T> = (data: T, event: SSEMessageEvent) => void

/**
 * One event as `onAny()` and `for await` see it: a union discriminated by `type`, so a `switch` on
 * `type` narrows `data`.
 */
export type ServerEvent<Events extends object> = {
  [K in keyof Events & string]: {
    type: K
    data: Events[K]
    /** The last event id when the event arrived (`''` when there is none). */
    id: string
    event: SSEMessageEvent
  }
}[keyof Events & string]

/**
 * Where the connection stands: `connecting` (first attempt), `open`, `reconnecting` (waiting for or
 * making another attempt), `paused` (offline, page hidden, or a full iterator buffer: no
 * connection until that changes), `closed` (for good).
 */
export type ClientStatus = 'connecting' | 'open' | 'reconnecting' | 'paused' | 'closed'

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
  readonly prototype: object
}

/** Which `EventSource` the client drives: see `ConnectOptions.backend`. */
export type BackendKind = 'native' | 'polyfill' | 'custom'

/** What a per-attempt function (`headers`, `body`, `requestUrl`) learns. */
export interface AttemptInfo {
  /** 0 for the first connection, then the client's reconnection attempt (1, 2, … after each loss). */
  attempt: number
  /** Where this attempt resumes from (`''` when there is no id yet). */
  lastEventId: string
  /** The URL given to `connect()`. */
  url: string
}

/** Request headers in any form `fetch` takes: a plain object, `[name, value]` pairs, or a `Headers`. */
export type HeadersLike = Record<string, string> | Array<[string, string]> | { forEach(callback: (value: string, name: string) => void): void }

/** A value, or a promise of it: what the per-attempt functions may return. */
export type MaybePromise<T> = T | PromiseLike<T>

/**
 * A typed Server-Sent Events connection, made by `connect()`. It re-creates the underlying
 * `EventSource` after a loss, under its reconnection policy, resuming from the last event id.
 */
export interface SSEClient<Events extends object> {
  /** The URL given to `connect()`. */
  readonly url: string
  /** The `EventSource` the client drives: the platform's, the polyfill, or one you injected. */
  readonly backend: BackendKind
  /** Where the connection stands; see {@link ClientStatus}. */
  readonly status: ClientStatus
  /** The id a reconnection resumes from (`''` when none): over the polyfill, the source's own, id-only blocks included. */
  readonly lastEventId: string
  /**
   * Calls `listener` with each `type` event's decoded data and the raw event. Returns the function
   * that removes it.
   *
   * @example
   * const off = sse.on('myEvent', (data, event) => console.log(data.text, event.lastEventId))
   */
  on<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): () => void
  /** Like {@link SSEClient.on}, for the next `type` event only. */
  once<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): () => void
  /** Removes `listener` from `type` (every registration of it), or every listener of `type`. */
  off<K extends keyof Events & string>(type: K, listener?: Listener<Events[K]>): void
  /**
   * Calls `listener` with every event the client receives, as `{ type, data, id, event }`. An
   * `EventSource` delivers only the types it listens to: `message`, the keys of `schemas`, the
   * `events` option, the `terminator`'s type and every type given to `on()`/`once()`. Returns the
   * function that removes it.
   */
  onAny(listener: (message: ServerEvent<Events>) => void): () => void
  /** Closes the connection for good: no event, timer or listener of the client is left running. */
  close(): void
  /**
   * `for await (const { type, data, id, event } of client)` (where the platform has
   * `Symbol.asyncIterator`). Leaving the loop closes the client; the loop ends when the client
   * closes (its stream finished, say) and throws the `ConnectionError` when it gave up. A consumer
   * slower than the stream makes the client pause reading, see the `bufferSize` option.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<ServerEvent<Events>>
}
