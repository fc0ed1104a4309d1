import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'
import { EventSourceError, type EventSourceErrorCode, type ResponseSummary } from './errors.ts'
import { hasHeader } from './headers.ts'
import { normalizeOptions, type AttemptOptions, type EventSourceOptions } from './options.ts'
import { platform } from './platform.ts'
import { withQueryParam } from './query.ts'
import { wellFormed } from './well-formed.ts'
import { endsAtEventBoundary } from './event-boundary.ts'
import { chooseTransport } from './transport/index.ts'
import type { Transport, TransportHandlers, TransportResponse } from './transport/types.ts'
import { originOf, resolveUrl } from './url.ts'

/** The `error` event of the polyfill: a plain `Event` that also says what went wrong. */
export interface EventSourceErrorEvent extends Event {
  readonly type: 'error'
  /** What went wrong: a network failure, a bad response, the end of the stream, … */
  readonly error: EventSourceError
  /** True when the source is about to reconnect (readyState CONNECTING), false when it is CLOSED. */
  readonly willReconnect: boolean
  /**
   * extension: the reconnection time the server set with a `retry:` field, in ms, or undefined while
   * it has set none (so a wrapper that re-creates the source can keep honouring it).
   */
  readonly serverRetry: number | undefined
}

/** The events an `EventSource` fires, by type. */
export interface EventSourceEventMap {
  error: EventSourceErrorEvent
  message: MessageEvent<string>
  open: Event
}

type Handler<E> = ((event: E) => any) | null
type HandlerAttributes = { [type: string]: { value: Handler<any>; listener: (event: Event) => void } | undefined }

// The DOM's overloads, typed onto the inherited methods (the class does not wrap them).
export interface EventSource {
  removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => any,
    options?: boolean | EventListenerOptions,
  ): void
  removeEventListener(type: string, listener: (this: EventSource, event: MessageEvent) => any, options?: boolean | EventListenerOptions): void
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void
  dispatchEvent(event: Event): boolean
}

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2
const DEFAULT_RECONNECTION_TIME = 3000

/** MIME type essence check: `text/event-stream`, parameters such as `charset` allowed. */
function isEventStream(contentType: string): boolean {
  return contentType.split(';')[0]!.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '').toLowerCase() === 'text/event-stream'
}

/**
 * The `Last-Event-ID` header carries the id UTF-8 encoded, but header values given to `fetch` and
 * `XMLHttpRequest` are byte strings: one character per byte.
 */
function utf8Bytes(text: string): string {
  return unescape(encodeURIComponent(wellFormed(text)))
}

/**
 * A dictionary keyed by event type. An `Object.create(null)` one is a hash table (~190 B); an
 * instance of this stays a fast object (~40 B), and with no `Object.prototype` behind it no key,
 * `__proto__` included, is special.
 */
const Dictionary = function () {} as unknown as new <T>() => { [type: string]: T | undefined }
Dictionary.prototype = Object.create(null)

/** A parser and the source its callbacks feed: the one parsing with it, none while it is spare. */
interface ParserSlot {
  parser: EventSourceParser
  source: EventSource | undefined
}

/**
 * One spare parser per `maxEventBytes` value. A parser that has just seen a blank line holds nothing
 * of its stream, so a source lets go of it there and takes one again with the next chunk: a source
 * between two events, which is what an idle one is, holds no parser.
 */
const spareParsers: { [maxEventBytes: string]: ParserSlot | undefined } = Object.create(null)

/**
 * A spec-exact `EventSource` (WHATWG HTML, "Server-sent events") on `fetch` or `XMLHttpRequest`.
 * Use it in place of the platform's; the optional second argument adds documented extensions.
 *
 * @example
 * const source = new EventSource('/notify')
 * source.addEventListener('myEvent', (event) => console.log(event.data, event.lastEventId))
 */
export class EventSource extends platform.EventTarget {
  static readonly CONNECTING = CONNECTING as 0
  static readonly OPEN = OPEN as 1
  static readonly CLOSED = CLOSED as 2
  declare readonly CONNECTING: 0
  declare readonly OPEN: 1
  declare readonly CLOSED: 2

  /** The resolved URL of the stream. */
  readonly url: string
  /** Whether the request sends credentials cross-origin. */
  readonly withCredentials: boolean

  private state: 0 | 1 | 2 = CONNECTING
  private readonly options: AttemptOptions
  private readonly transport: Transport
  private parserSlot: ParserSlot | undefined
  private lastEventIdString: string
  // The spec's reconnection time is this, or DEFAULT_RECONNECTION_TIME while the server has set none.
  private serverRetry: number | undefined
  private attempt = 0
  private origin = ''
  private connection = 0
  private recycling = false
  private abortRequest: (() => void) | undefined
  // The wait before a reconnection, or the heartbeat check of a connection: never both at once.
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastActivity = 0
  private attributes: HandlerAttributes | undefined
  private lastType = ''
  private readonly listened = new Dictionary<true>()

  constructor(url: string | URL, eventSourceInitDict?: EventSourceOptions) {
    super()
    if (arguments.length === 0) throw new TypeError("EventSource: 1 argument required (the stream's URL), but only 0 present")
    const options = normalizeOptions(eventSourceInitDict)
    this.options = options.attempt
    // Steps 3–5: parse the URL relative to the document's base URL; failure is a SyntaxError.
    this.url = resolveUrl(String(url))
    // Step 7: withCredentials picks the "use credentials" CORS mode.
    this.withCredentials = options.withCredentials
    this.lastEventIdString = options.lastEventId
    this.transport = chooseTransport(options)
    // Step 15: fetch the request.
    this.connect()
  }

  /** CONNECTING (0), OPEN (1) or CLOSED (2). */
  get readyState(): 0 | 1 | 2 {
    return this.state
  }

  get onopen(): Handler<Event> {
    return this.handler('open')
  }
  set onopen(value: Handler<Event>) {
    this.setHandler('open', value)
  }
  get onmessage(): Handler<MessageEvent> {
    return this.handler('message')
  }
  set onmessage(value: Handler<MessageEvent>) {
    this.setHandler('message', value)
  }
  get onerror(): Handler<Event> {
    return this.handler('error')
  }
  set onerror(value: Handler<Event>) {
    this.setHandler('error', value)
  }

  /** Aborts the connection or a pending reconnection, in any state; nothing is dispatched after it. */
  close(): void {
    this.state = CLOSED
    this.stopConnection()
  }

  override addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => any,
    options?: boolean | AddEventListenerOptions,
  ): void
  override addEventListener(type: string, listener: (this: EventSource, event: MessageEvent) => any, options?: boolean | AddEventListenerOptions): void
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void
  override addEventListener(type: string, listener: any, options?: boolean | AddEventListenerOptions): void {
    // Remembered so that events nobody listens to are never built.
    if (listener) this.listened[String(type)] = true
    super.addEventListener(type, listener, options)
  }

  private handler(type: string): Handler<any> {
    const attribute = this.attributes && this.attributes[type]
    return attribute ? attribute.value : null
  }

  // Event handler IDL attributes: the first non-null value registers one listener that calls
  // whatever the attribute holds, so replacing a handler keeps its place among the listeners.
  private setHandler(type: string, value: Handler<any>): void {
    const attributes = this.attributes || (this.attributes = new Dictionary())
    const attribute =
      attributes[type] ||
      (attributes[type] = {
        value: null,
        listener: (event: Event) => {
          if (attribute.value) attribute.value.call(this, event)
        },
      })
    const had = attribute.value
    attribute.value = typeof value === 'function' ? value : null
    if (had && !attribute.value) this.removeEventListener(type, attribute.listener)
    else if (!had && attribute.value) this.addEventListener(type, attribute.listener)
  }

  /**
   * What a transport reports one attempt's progress to: one small object per attempt, its methods on
   * the prototype. Reports from an attempt that is no longer the source's current one are ignored.
   */
  private static readonly Attempt = class Attempt implements TransportHandlers {
    constructor(
      private readonly source: EventSource,
      private readonly connection: number,
    ) {}

    private live(): boolean {
      return this.connection === this.source.connection && this.source.state !== CLOSED
    }

    response(response: TransportResponse): void {
      if (this.live()) this.source.processResponse(response)
    }

    text(chunk: string): void {
      if (!this.live()) return
      const source = this.source
      if (source.options.heartbeatTimeout !== undefined) source.lastActivity = Date.now()
      source.parse(chunk)
    }

    end(reason: 'eof' | 'recycle'): void {
      if (!this.live()) return
      const source = this.source
      source.abortRequest = undefined
      if (reason === 'recycle') {
        source.recycling = true
        source.connect()
      } else {
        // processEventSourceEndOfBody: the body ended without a network error.
        source.reestablishConnection(source.error('stream-ended', 'the server ended the stream'))
      }
    }

    error(cause: unknown): void {
      if (!this.live()) return
      const source = this.source
      source.abortRequest = undefined
      // processResponse step 2: a network error reestablishes the connection.
      source.reestablishConnection(source.error('network', `network error${cause instanceof Error ? `: ${cause.message}` : ''}`, undefined, cause))
    }
  }

  /** A parser that feeds whichever source holds `slot`, ready for the start of a stream. */
  private static createParserSlot(maxEventBytes: number | undefined): ParserSlot {
    const slot: ParserSlot = { parser: undefined!, source: undefined }
    slot.parser = createParser({
      onEvent: (message) => slot.source!.dispatchMessage(message.event, message.data),
      onId: (id) => {
        // Dispatch step 1: the last event ID string takes the buffer's value, data or not.
        const source = slot.source!
        if (source.state === OPEN) source.lastEventIdString = id
      },
      onRetry: (retry) => {
        const source = slot.source!
        if (source.state === OPEN) source.serverRetry = retry
      },
      onError: (error: ParseError) => {
        // Unknown fields and non-digit retry values are ignored, as the spec says; only the size guard fails.
        if (error.type === 'max-buffer-size-exceeded') slot.source!.failTooLarge()
      },
      maxBufferSize: maxEventBytes,
    })
    // Transports decode with the spec's UTF-8 decode, which already drops one leading BOM; the
    // parser would drop a second one, so its own check is spent here on a BOM of our making.
    slot.parser.feed('\uFEFF')
    return slot
  }

  /** Parses one chunk of the current connection's text. */
  private parse(chunk: string): void {
    const key = '' + this.options.maxEventBytes
    let slot = this.parserSlot
    if (!slot) {
      // A spare parser is taken out while it parses, so a source that a listener opens meanwhile gets another.
      slot = spareParsers[key] || EventSource.createParserSlot(this.options.maxEventBytes)
      spareParsers[key] = undefined
      slot.source = this
      this.parserSlot = slot
    }
    // The parser joins the partial line it holds with the whole of the next chunk it is fed; fed the
    // chunk's first line on its own, it copies only that line, and takes the rest as it comes.
    const firstLine = chunk.indexOf('\n') + 1
    if (firstLine === 0 || firstLine === chunk.length) slot.parser.feed(chunk)
    else {
      slot.parser.feed(chunk.slice(0, firstLine))
      // A listener may have closed the source, or the size guard spent the parser.
      if (this.state !== CLOSED) slot.parser.feed(chunk.slice(firstLine))
    }
    // A blank line at the end of the chunk dispatched the event and left the parser as new; after an
    // overflow (CLOSED) it is spent. The source may have let go of it already, in a listener.
    if (endsAtEventBoundary(chunk) && this.state !== CLOSED) {
      if (this.parserSlot === slot) this.parserSlot = undefined
      slot.source = undefined
      spareParsers[key] = slot
    }
  }

  /** Starts one attempt: the request with this attempt's URL and headers. */
  private connect(): void {
    const connection = ++this.connection
    // A new stream starts with a new parser (one that holds no partial event).
    this.parserSlot = undefined
    const options = this.options
    let url = this.url
    let headers: Record<string, string>
    try {
      const info = { attempt: this.attempt, lastEventId: this.lastEventIdString, url: this.url }
      if (options.requestUrl) url = resolveUrl(options.requestUrl(info))
      const given = typeof options.headers === 'function' ? options.headers(info) : options.headers
      headers = {}
      // Own keys only: a page may have added some to Object.prototype.
      if (given) Object.keys(given).forEach((name) => (headers[name] = given[name]!))
    } catch (cause) {
      this.reestablishConnection(this.error('network', `a per-attempt option threw: ${String(cause)}`, undefined, cause))
      return
    }
    // Step 10: ask for an event stream.
    if (!hasHeader(headers, 'accept')) headers['Accept'] = 'text/event-stream'
    if (this.lastEventIdString !== '') {
      // Reestablish step 5: carry the last event ID, as a header or (extension) a query parameter.
      if (options.lastEventIdQueryParam) url = withQueryParam(url, options.lastEventIdQueryParam, this.lastEventIdString)
      else if (!hasHeader(headers, 'last-event-id')) headers['Last-Event-ID'] = utf8Bytes(this.lastEventIdString)
    }
    const handlers = new EventSource.Attempt(this, connection)
    this.armHeartbeat()
    try {
      this.abortRequest = this.transport(
        { url, headers, withCredentials: this.withCredentials, fetch: options.fetch, recycleAfter: options.xhrRecycleAfter },
        handlers,
      )
    } catch (cause) {
      handlers.error(cause)
    }
  }

  private processResponse(response: TransportResponse): void {
    const origin = originOf(response.url)
    // Usually a prefix of the URL the source holds anyway: a slice of it is a few bytes, the string built
    // from the parsed URL ~140.
    this.origin = this.url.lastIndexOf(origin, 0) === 0 ? this.url.slice(0, origin.length) : origin
    const summary: ResponseSummary = { status: response.status, statusText: response.statusText, url: response.url, headers: response.headers }
    // processResponse step 3: anything but a 200 text/event-stream fails the connection.
    if (response.status !== 200) {
      const text = response.statusText ? ` ${response.statusText}` : ''
      this.failConnection(this.error('http-status', `the server answered ${response.status}${text}, not 200`, summary))
    } else if (!isEventStream(response.contentType)) {
      const type = response.contentType ? `"${response.contentType}"` : 'no Content-Type'
      this.failConnection(this.error('content-type', `the server answered with ${type}, not text/event-stream`, summary))
    } else if (this.recycling) {
      this.recycling = false
    } else {
      this.announceConnection()
    }
  }

  /** "Announce the connection": OPEN, then `open`. */
  private announceConnection(): void {
    if (this.state === CLOSED) return
    this.state = OPEN
    this.fire('open')
  }

  /** "Fail the connection": CLOSED for good, then `error`. */
  private failConnection(error: EventSourceError): void {
    if (this.state === CLOSED) return
    this.state = CLOSED
    this.stopConnection()
    this.fireError(error, false)
  }

  private failTooLarge(): void {
    this.failConnection(this.error('event-too-large', `an event grew past maxEventBytes (${this.options.maxEventBytes})`))
  }

  /** "Reestablish the connection": CONNECTING, `error`, wait the reconnection time, connect again. */
  private reestablishConnection(error: EventSourceError): void {
    // Step 1: nothing to do once closed; otherwise CONNECTING and an error event.
    if (this.state === CLOSED) return
    this.stopConnection()
    this.state = CONNECTING
    this.recycling = false
    this.fireError(error, true)
    // Step 5 checks the state again: a listener may have called close().
    if (this.state !== CONNECTING) return
    // Step 2: wait the reconnection time, then connect with the last event ID.
    this.timer = setTimeout(() => {
      this.timer = undefined
      if (this.state !== CONNECTING) return
      this.attempt++
      this.connect()
    }, this.serverRetry === undefined ? DEFAULT_RECONNECTION_TIME : this.serverRetry)
  }

  /** "Dispatch the event" steps 2–8, for one block the parser completed. */
  private dispatchMessage(eventType: string | undefined, data: string): void {
    if (this.state !== OPEN) return
    // extension: maxEventBytes. The parser bounds what it buffers across chunks; an event that
    // arrived whole inside one chunk is measured here.
    const max = this.options.maxEventBytes
    if (max !== undefined && data.length > max) {
      this.failTooLarge()
      return
    }
    // The parser slices a new copy of the type for every event; handing the platform the same
    // string each time lets its listener lookup hit the cached hash.
    const type = eventType === undefined ? 'message' : eventType === this.lastType ? this.lastType : (this.lastType = eventType)
    if (this.listened[type] !== true) return
    this.dispatchEvent(platform.event(type, { data, origin: this.origin, lastEventId: this.lastEventIdString }))
  }

  private fire(type: 'open'): void {
    if (this.listened[type] === true) this.dispatchEvent(platform.event(type))
  }

  private fireError(error: EventSourceError, willReconnect: boolean): void {
    if (this.listened['error'] !== true) return
    const event = platform.event('error') as { -readonly [K in keyof EventSourceErrorEvent]: EventSourceErrorEvent[K] }
    event.error = error
    event.willReconnect = willReconnect
    event.serverRetry = this.serverRetry
    this.dispatchEvent(event as EventSourceErrorEvent)
  }

  private error(code: EventSourceErrorCode, detail: string, response?: ResponseSummary, cause?: unknown): EventSourceError {
    return new EventSourceError(code, `EventSource ${this.url}: ${detail}`, this.url, response, cause)
  }

  /** Aborts the request and clears every timer; the state is the caller's to set. */
  private stopConnection(): void {
    this.connection++
    this.parserSlot = undefined
    const abort = this.abortRequest
    this.abortRequest = undefined
    if (abort) abort()
    clearTimeout(this.timer)
    this.timer = undefined
  }

  // extension: heartbeatTimeout. One timer per connection, re-armed only when it fires, because
  // resetting a timer on every chunk would cost more than the parsing.
  private armHeartbeat(): void {
    const timeout = this.options.heartbeatTimeout
    if (timeout === undefined) return
    // A recycled XHR connection is still armed.
    clearTimeout(this.timer)
    // Only a source with a heartbeat keeps the time (a number that is no small integer takes a heap cell).
    this.lastActivity = Date.now()
    const check = () => {
      const silent = Date.now() - this.lastActivity
      if (silent < timeout) {
        this.timer = setTimeout(check, timeout - silent)
        return
      }
      this.timer = undefined
      this.reestablishConnection(this.error('heartbeat-timeout', `nothing arrived for ${timeout} ms (heartbeatTimeout)`))
    }
    this.timer = setTimeout(check, timeout)
  }
}

// The IDL constants live on the prototype too, so `source.OPEN` works as in browsers.
Object.defineProperties(EventSource.prototype, {
  CONNECTING: { value: CONNECTING, enumerable: true },
  OPEN: { value: OPEN, enumerable: true },
  CLOSED: { value: CLOSED, enumerable: true },
})
