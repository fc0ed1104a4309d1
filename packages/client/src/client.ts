import { resolveBackend, type Backend } from './backend.ts'
import { createConnection, type Connection } from './connection.ts'
import type { EventsOf, SchemaMap } from './decode.ts'
import { normalizeOptions, type ConnectOptions } from './options.ts'
import type { ClientStatus, Listener, ServerEvent } from './types.ts'

/**
 * A typed Server-Sent Events connection, made by {@link connect}. It re-creates the underlying
 * `EventSource` after every loss, under its reconnection policy, resuming from the last event id.
 */
export class SSEClient<Events extends object> {
  /** The URL given to `connect()`. */
  readonly url: string
  /** The `EventSource` the client drives: the platform's, the polyfill, or one you injected. */
  readonly backend: Backend['kind']
  // The connection's state lives in its closure; this class only gives it a typed face.
  private readonly c: Connection

  /** Use {@link connect}. */
  constructor(url: string | URL, options?: ConnectOptions<Events>) {
    if (typeof url !== 'string' && !(url && typeof url === 'object' && typeof url.href === 'string')) {
      throw new TypeError(`ssekit connect(): \`url\` must be a string or a URL, got ${String(url)}`)
    }
    const o = normalizeOptions(options as ConnectOptions<object> | undefined)
    const backend = resolveBackend(o)
    this.url = String(url)
    this.backend = backend.kind
    this.c = createConnection(this.url, o, backend)
  }

  /** Where the connection stands; see {@link ClientStatus}. */
  get status(): ClientStatus {
    return this.c.status()
  }

  /** The id of the last event received (`''` when none): where a reconnection resumes. */
  get lastEventId(): string {
    return this.c.lastEventId()
  }

  /**
   * Calls `listener` with each `type` event's decoded data and the raw event. Returns the function
   * that removes it.
   *
   * @example
   * const off = sse.on('myEvent', (data, event) => console.log(data.text, event.lastEventId))
   */
  on<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): () => void {
    return this.c.add(type, listener, false)
  }

  /** Like {@link on}, for the next `type` event only. */
  once<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): () => void {
    return this.c.add(type, listener, true)
  }

  /** Removes `listener` from `type` (every registration of it), or every listener of `type`. */
  off<K extends keyof Events & string>(type: K, listener?: Listener<Events[K]>): void {
    this.c.off(type, listener)
  }

  /**
   * Calls `listener` with every event the client receives, as `{ type, data, id, event }`. An
   * `EventSource` delivers only the types it listens to: `message`, the keys of `schemas`, the
   * `events` option and every type given to `on()`/`once()`. Returns the function that removes it.
   */
  onAny(listener: (message: ServerEvent<Events>) => void): () => void {
    return this.c.onAny(listener as (message: ServerEvent<any>) => void)
  }

  /** Closes the connection for good: no event, timer or listener of the client is left running. */
  close(): void {
    this.c.close()
  }

  /**
   * `for await (const { type, data, id, event } of client)` (where the platform has
   * `Symbol.asyncIterator`). Leaving the loop closes the client; the loop ends when the client
   * closes and throws the `ConnectionError` when it gave up. A consumer slower than the stream makes
   * the client pause reading, see the `bufferSize` option.
   */
  declare [Symbol.asyncIterator]: () => AsyncIterableIterator<ServerEvent<Events>>
}

// Only where the platform has async iteration: the callback path needs neither Symbol nor Promise.
if (typeof Symbol === 'function' && Symbol.asyncIterator) {
  ;(SSEClient.prototype as any)[Symbol.asyncIterator] = function (this: SSEClient<object>) {
    return this['c'].iterate()
  }
}

/**
 * Opens a typed Server-Sent Events connection.
 *
 * Give the event map as a type argument, or let `schemas` (zod, valibot, any Standard Schema) give
 * it; without either, every event is a `string`, or `unknown` with `decode: 'json'`.
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
export function connect<Schemas extends SchemaMap>(
  url: string | URL,
  options: ConnectOptions<NoInfer<EventsOf<Schemas>>> & { schemas: Schemas },
): SSEClient<EventsOf<Schemas>>
export function connect(url: string | URL, options: ConnectOptions<Record<string, unknown>> & { decode: 'json'; schemas?: undefined }): SSEClient<Record<string, unknown>>
export function connect<Events extends object = Record<string, string>>(url: string | URL, options?: ConnectOptions<NoInfer<Events>>): SSEClient<Events>
export function connect(url: string | URL, options?: ConnectOptions<any>): SSEClient<any> {
  return new SSEClient(url, options)
}
