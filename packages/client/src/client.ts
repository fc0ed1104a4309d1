import { createSource, describeDisconnect, resolveBackend, type Backend, type EventSourceLike, type SourceRequest } from './backend.ts'
import { createDecoder, type Decoded, type Decoder, type EventsOf, type SchemaMap } from './decode.ts'
import { isHidden, isOffline, watchEnvironment } from './environment.ts'
import { ConnectionError, ListenerError, type DecodeError } from './errors.ts'
import { BufferedIterator } from './iterator.ts'
import { ListenerList } from './listeners.ts'
import { normalizeOptions, type CloseInfo, type ConnectOptions, type GiveUpInfo, type NormalizedOptions } from './options.ts'
import { nextAttempt, planReconnect, type DisconnectCause } from './reconnect.ts'
import type { ClientStatus, Listener, ServerEvent } from './types.ts'

declare const reportError: ((error: unknown) => void) | undefined

/** An event waiting for an async schema, or behind one: delivery keeps the order of arrival. */
interface PendingEvent {
  type: string
  id: string
  event: MessageEvent<string>
  outcome: Decoded | undefined
}

type Hooks = NormalizedOptions['hooks']
// Called as `(message, event)` by ListenerList.emit; onAny() wraps the user's one-argument listener.
type AnyListener = (message: ServerEvent<any>, event: MessageEvent<string>) => void

const own = Object.prototype.hasOwnProperty

function isThenable(value: unknown): value is PromiseLike<Decoded> {
  return typeof (value as { then?: unknown }).then === 'function'
}

/** The last resort for an error with no `onError` to go to: the platform's, never silence. */
function reportUnhandled(error: unknown): void {
  if (typeof reportError === 'function') reportError(error)
  else if (typeof console !== 'undefined' && console.error) console.error(error)
}

/**
 * A typed Server-Sent Events connection, made by {@link connect}. It re-creates the underlying
 * `EventSource` after every loss, under its reconnection policy, resuming from the last event id.
 */
export class SSEClient<Events extends object> {
  /** The URL given to `connect()`. */
  readonly url: string
  /** The `EventSource` the client drives: the platform's, the polyfill, or one you injected. */
  readonly backend: Backend['kind']

  private readonly options: NormalizedOptions
  private readonly hooks: Hooks
  private readonly eventSource: Backend
  private readonly request: SourceRequest
  // Undefined when the data is the event's text: see createDecoder.
  private readonly decoder: Decoder | undefined
  // Every type the backend is asked for has a list (empty until `on()`), so one lookup tells both;
  // server event names are plain keys of a prototype-less object.
  private readonly listeners: { [type: string]: ListenerList<Listener<any>> | undefined } = Object.create(null)
  private readonly anyListeners = new ListenerList<AnyListener>()
  private readonly typeList: string[] = []
  private source: EventSourceLike | undefined
  // The source's `open`/`error` listener, and one listener per other type that knows its type and list.
  private sourceListener: ((event: Event) => void) | undefined
  private typeListeners: { [type: string]: ((event: Event) => void) | undefined } = Object.create(null)
  private state: ClientStatus = 'connecting'
  private attempt = 0
  private openedAt: number | undefined
  private everOpened = false
  private serverRetry: number | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private readonly pauses = { offline: false, hidden: false, backpressure: false }
  private lastId: string
  private pending: PendingEvent[] = []
  private iterators: BufferedIterator<ServerEvent<Events>>[] = []
  private stopWatching: (() => void) | undefined
  private abortListener: (() => void) | undefined
  // One function for every event, not a closure per event: a listener's throw is rare.
  private readonly listenerThrew = (error: unknown, event: MessageEvent<string>): void => this.report(new ListenerError(event.type, error), event)

  /** Use {@link connect}. */
  constructor(url: string | URL, options?: ConnectOptions<Events>) {
    if (typeof url !== 'string' && !(url && typeof url === 'object' && typeof (url as URL).href === 'string')) {
      throw new TypeError(`ssekit connect(): \`url\` must be a string or a URL, got ${String(url)}`)
    }
    this.url = String(url)
    const o = (this.options = normalizeOptions(options as ConnectOptions<object> | undefined))
    this.hooks = o.hooks
    this.eventSource = resolveBackend(o.backend, o.needsPolyfill)
    this.backend = this.eventSource.kind
    this.decoder = createDecoder(o.decode, o.schemas)
    this.lastId = o.lastEventId
    this.request = {
      url: this.url,
      withCredentials: o.withCredentials,
      headers: o.headers,
      requestUrl: o.requestUrl,
      fetch: o.fetch,
      polyfill: o.polyfill,
      lastEventIdQueryParam: o.lastEventIdQueryParam,
      queryParamForPolyfill: o.queryParamForPolyfill,
    }
    this.listen('message')
    if (o.schemas) for (const type in o.schemas) if (own.call(o.schemas, type)) this.listen(type)
    for (let i = 0; i < o.events.length; i++) this.listen(o.events[i]!)

    const signal = o.signal
    if (signal) {
      if (signal.aborted) {
        this.finish('abort')
        return
      }
      this.abortListener = () => this.finish('abort')
      signal.addEventListener('abort', this.abortListener)
    }
    this.stopWatching = watchEnvironment(
      { online: () => this.online(), offline: () => this.offline(), visibility: () => this.visibility() },
      o.pauseWhenHidden,
    )
    this.pauses.offline = isOffline()
    this.pauses.hidden = o.pauseWhenHidden && isHidden()
    try {
      this.open()
    } catch (error) {
      // The first attempt's mistakes (a URL that does not parse, say) are the caller's to see.
      this.finish('close')
      throw error
    }
  }

  /** Where the connection stands; see {@link ClientStatus}. */
  get status(): ClientStatus {
    return this.state
  }

  /** The id of the last event received (`''` when none): where a reconnection resumes. */
  get lastEventId(): string {
    return this.lastId
  }

  /**
   * Calls `listener` with each `type` event's decoded data and the raw event. Returns the function
   * that removes it.
   *
   * @example
   * const off = sse.on('myEvent', (data, event) => console.log(data.text, event.lastEventId))
   */
  on<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): () => void {
    return this.add(type, listener, false)
  }

  /** Like {@link on}, for the next `type` event only. */
  once<K extends keyof Events & string>(type: K, listener: Listener<Events[K]>): () => void {
    return this.add(type, listener, true)
  }

  /** Removes `listener` from `type` (every registration of it), or every listener of `type`. */
  off<K extends keyof Events & string>(type: K, listener?: Listener<Events[K]>): void {
    const list = this.listeners[String(type)]
    if (list) list.remove(listener)
  }

  /**
   * Calls `listener` with every event the client receives, as `{ type, data, id, event }`. An
   * `EventSource` delivers only the types it listens to: `message`, the keys of `schemas`, the
   * `events` option and every type given to `on()`/`once()`. Returns the function that removes it.
   */
  onAny(listener: (message: ServerEvent<Events>) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('ssekit onAny(): the listener must be a function')
    return this.anyListeners.add((message) => listener(message as ServerEvent<Events>), false)
  }

  /** Closes the connection for good: no event, timer or listener of the client is left running. */
  close(): void {
    this.finish('close')
  }

  /**
   * `for await (const { type, data, id, event } of client)` (where the platform has
   * `Symbol.asyncIterator`). Leaving the loop closes the client; the loop ends when the client
   * closes and throws the `ConnectionError` when it gave up. A consumer slower than the stream makes
   * the client pause reading, see the `bufferSize` option.
   */
  declare [Symbol.asyncIterator]: () => AsyncIterableIterator<ServerEvent<Events>>

  private add(type: string, listener: Listener<any>, once: boolean): () => void {
    if (typeof listener !== 'function') throw new TypeError(`ssekit ${once ? 'once' : 'on'}(): the listener for "${String(type)}" must be a function`)
    const name = String(type)
    this.listen(name)
    return this.listeners[name]!.add(listener, once)
  }

  /** Asks the current and every later source for `type` events. */
  private listen(type: string): void {
    if (this.listeners[type]) return
    this.listeners[type] = new ListenerList<Listener<any>>()
    this.typeList.push(type)
    if (this.source) this.listenTo(this.source, type)
  }

  /** Gives `source` a listener for `type` that needs no lookup per event (`open`/`error` go through route()). */
  private listenTo(source: EventSourceLike, type: string): void {
    if (type === 'open' || type === 'error') return
    const list = this.listeners[type]!
    const listener = (this.typeListeners[type] = (event: Event) => {
      if (source === this.source) this.receive(type, list, event as MessageEvent<string>)
    })
    source.addEventListener(type, listener)
  }

  /** Starts one attempt, unless something holds the client paused. */
  private open(): void {
    this.timer = undefined
    if (this.pauses.offline || this.pauses.hidden || this.pauses.backpressure) {
      this.state = 'paused'
      return
    }
    this.state = this.everOpened || this.attempt > 0 ? 'reconnecting' : 'connecting'
    const source = createSource(this.eventSource, this.request, this.attempt, this.lastId)
    const listener = (event: Event) => this.route(source, event)
    this.source = source
    this.sourceListener = listener
    source.addEventListener('open', listener)
    source.addEventListener('error', listener)
    for (let i = 0; i < this.typeList.length; i++) this.listenTo(source, this.typeList[i]!)
  }

  /** An attempt that fails before it starts (a per-attempt function threw) counts as a lost connection. */
  private openOrRecover(): void {
    try {
      this.open()
    } catch (error) {
      this.dropSource()
      this.recover({ code: 'network', status: undefined, retryAfter: undefined, error }, -1)
    }
  }

  private route(source: EventSourceLike, event: Event): void {
    if (source !== this.source) return
    const type = event.type
    // The server may name an event `open` or `error`: those come as MessageEvents with string data.
    if ((type === 'open' || type === 'error') && typeof (event as MessageEvent).data !== 'string') {
      if (type === 'open') this.opened()
      else this.lost(source, event)
      return
    }
    const list = this.listeners[type]
    if (list) this.receive(type, list, event as MessageEvent<string>)
  }

  private opened(): void {
    this.state = 'open'
    this.openedAt = Date.now()
    this.everOpened = true
    if (this.hooks.onOpen) this.hook('onOpen', this.hooks.onOpen, { attempt: this.attempt, lastEventId: this.lastId })
  }

  private lost(source: EventSourceLike, event: Event): void {
    const now = Date.now()
    const { cause, serverRetry } = describeDisconnect(event, source.readyState, now)
    if (serverRetry !== undefined) this.serverRetry = serverRetry
    const uptime = this.openedAt === undefined ? -1 : now - this.openedAt
    // Closing in the error listener is what stops the backend's own reconnection: the policy alone decides.
    this.dropSource()
    this.recover(cause, uptime)
  }

  /** After a loss: pause while offline, else ask the policy and `onReconnecting`, then wait. */
  private recover(cause: DisconnectCause, uptime: number): void {
    if (this.state === 'closed') return
    if (isOffline()) this.pauses.offline = true
    if (this.pauses.offline) {
      this.state = 'paused'
      return
    }
    const attempt = nextAttempt(this.options.retry, this.attempt, uptime)
    const decision = planReconnect(this.options.retry, { attempt, cause, lastEventId: this.lastId, serverRetry: this.serverRetry }, Math.random)
    if (!decision.reconnect) {
      this.giveUp(decision.reason, attempt, cause)
      return
    }
    this.attempt = attempt
    this.state = 'reconnecting'
    const hook = this.hooks.onReconnecting
    const verdict = hook && this.hook('onReconnecting', hook, { attempt, delay: decision.delay, lastEventId: this.lastId, cause })
    // The hook may have closed the client, or a listener of its may have paused it.
    if (this.state !== 'reconnecting' || this.source) return
    if (verdict === false) {
      this.giveUp('on-reconnecting', attempt, cause)
      return
    }
    this.timer = setTimeout(() => this.openOrRecover(), decision.delay)
  }

  private giveUp(reason: GiveUpInfo['reason'], attempt: number, cause: DisconnectCause): void {
    const why = reason === 'max-attempts' ? `after ${attempt - 1} attempts` : reason === 'on-reconnecting' ? 'onReconnecting returned false' : `${cause.status === undefined ? cause.code : cause.status} is not retried`
    const error = new ConnectionError(`ssekit: gave up reconnecting to ${this.url} (${why})`, attempt, cause.status, cause.error)
    if (this.hooks.onGiveUp) this.hook('onGiveUp', this.hooks.onGiveUp, { attempt, lastEventId: this.lastId, cause, reason, error })
    this.finish('give-up', error)
  }

  private receive(type: string, list: ListenerList<Listener<any>>, event: MessageEvent<string>): void {
    const id = event.lastEventId
    // The polyfill is seeded with the id and keeps it as the spec says, so its value is the truth
    // (an empty one included: the server cleared it). A re-created native source starts empty and
    // some URL-only backends forget the id between events: there an empty id means "unknown".
    if (typeof id === 'string' && (id !== '' || this.backend === 'polyfill')) this.lastId = id
    const decoder = this.decoder
    // No decoder, no async schema, so nothing can be pending: the text goes straight out.
    if (decoder === undefined) {
      this.deliver(list, type, this.lastId, event, event.data)
      return
    }
    const outcome = decoder(type, event)
    if (this.pending.length === 0 && !isThenable(outcome)) {
      this.settle(type, this.lastId, event, outcome)
      return
    }
    const entry: PendingEvent = { type, id: this.lastId, event, outcome: undefined }
    this.pending.push(entry)
    if (!isThenable(outcome)) {
      entry.outcome = outcome
      return
    }
    const queue = this.pending
    outcome.then((result) => {
      // close() starts a new queue: what the old one still waits for is dropped.
      if (queue !== this.pending) return
      entry.outcome = result
      this.flush()
    })
  }

  private flush(): void {
    const queue = this.pending
    while (queue === this.pending && queue.length > 0 && queue[0]!.outcome) {
      const entry = queue.shift()!
      this.settle(entry.type, entry.id, entry.event, entry.outcome!)
    }
  }

  private settle(type: string, id: string, event: MessageEvent<string>, outcome: Decoded): void {
    if (outcome.ok) this.deliver(this.listeners[type]!, type, id, event, outcome.value)
    else if (this.state !== 'closed') this.report(outcome.error, event)
  }

  /** Hands one event's data to its listeners, then to `onAny` and the iterators (their record only when there are some). */
  private deliver(list: ListenerList<Listener<any>>, type: string, id: string, event: MessageEvent<string>, data: unknown): void {
    if (this.state === 'closed') return
    list.emit(data, event, this.listenerThrew)
    // A listener may have closed the client.
    if (this.isClosed() || (this.anyListeners.size === 0 && this.iterators.length === 0)) return
    const message = { type, data, id, event } as ServerEvent<Events>
    this.anyListeners.emit(message, event, this.listenerThrew)
    if (this.isClosed()) return
    let full = false
    for (let i = 0; i < this.iterators.length; i++) {
      this.iterators[i]!.push(message)
      if (this.iterators[i]!.size >= this.options.bufferSize) full = true
    }
    if (full && !this.pauses.backpressure) {
      this.pauses.backpressure = true
      this.pause()
    }
  }

  private isClosed(): boolean {
    return this.state === 'closed'
  }

  /** Drops the connection (and any pending reconnection) until every pause reason is gone. */
  private pause(): void {
    if (this.state === 'closed') return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.dropSource()
    this.state = 'paused'
  }

  private resume(): void {
    if (this.state !== 'paused' || this.pauses.offline || this.pauses.hidden || this.pauses.backpressure) return
    this.openOrRecover()
  }

  private online(): void {
    this.pauses.offline = false
    if (this.state === 'paused') this.resume()
    else if (this.state === 'reconnecting' && this.timer !== undefined) {
      // Back online: the wait was for the network, so reconnect at once.
      clearTimeout(this.timer)
      this.openOrRecover()
    }
  }

  private offline(): void {
    this.pauses.offline = true
    this.pause()
  }

  private visibility(): void {
    const hidden = isHidden()
    if (hidden === this.pauses.hidden) return
    this.pauses.hidden = hidden
    if (hidden) this.pause()
    else this.resume()
  }

  /** An iterator's consumer took an event: read again once every buffer is at most half full. */
  private took(): void {
    if (!this.pauses.backpressure) return
    const low = this.options.bufferSize / 2
    for (let i = 0; i < this.iterators.length; i++) if (this.iterators[i]!.size > low) return
    this.pauses.backpressure = false
    this.resume()
  }

  private iterate(): BufferedIterator<ServerEvent<Events>> {
    const iterator = new BufferedIterator<ServerEvent<Events>>({ took: () => this.took(), stopped: () => this.close() })
    if (this.state === 'closed') iterator.end()
    else this.iterators.push(iterator)
    return iterator
  }

  private dropSource(): void {
    const source = this.source
    const listener = this.sourceListener
    this.source = this.sourceListener = this.openedAt = undefined
    if (!source || !listener) return
    source.removeEventListener('open', listener)
    source.removeEventListener('error', listener)
    const typeListeners = this.typeListeners
    this.typeListeners = Object.create(null)
    for (let i = 0; i < this.typeList.length; i++) {
      const type = this.typeList[i]!
      const typeListener = typeListeners[type]
      if (typeListener) source.removeEventListener(type, typeListener)
    }
    source.close()
  }

  private finish(reason: CloseInfo['reason'], error?: ConnectionError): void {
    if (this.state === 'closed') return
    this.state = 'closed'
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.dropSource()
    if (this.stopWatching) this.stopWatching()
    if (this.options.signal && this.abortListener) this.options.signal.removeEventListener('abort', this.abortListener)
    this.stopWatching = this.abortListener = undefined
    this.pending = []
    const iterators = this.iterators
    this.iterators = []
    for (let i = 0; i < iterators.length; i++) iterators[i]!.end(error && { error })
    if (this.hooks.onClose) this.hook('onClose', this.hooks.onClose, { reason, lastEventId: this.lastId, error })
  }

  private hook<T>(name: string, hook: (info: T) => unknown, info: T): unknown {
    try {
      return hook(info)
    } catch (error) {
      this.report(new ListenerError(name, error), undefined)
      return undefined
    }
  }

  private report(error: DecodeError | ListenerError, event: MessageEvent<string> | undefined): void {
    const onError = this.hooks.onError
    if (!onError) {
      reportUnhandled(error)
      return
    }
    try {
      onError({ error, event })
    } catch (thrown) {
      reportUnhandled(thrown)
    }
  }
}

// Only where the platform has async iteration: the callback path needs neither Symbol nor Promise.
if (typeof Symbol === 'function' && Symbol.asyncIterator) {
  const asyncIterator = Symbol.asyncIterator
  ;(SSEClient.prototype as any)[asyncIterator] = function (this: SSEClient<object>) {
    return this['iterate']()
  }
  ;(BufferedIterator.prototype as any)[asyncIterator] = function (this: BufferedIterator<unknown>) {
    return this
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
