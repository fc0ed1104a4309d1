import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'
import { EventSourceError, type EventSourceErrorCode, type ResponseSummary } from './errors.ts'
import { hasHeader, headerRecord } from './headers.ts'
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
// Past this many ms, browsers and Node run a timer at once: a longer wait would become a tight loop.
const LONGEST_WAIT = 2147483647

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

  private state_: 0 | 1 | 2 = CONNECTING
  private readonly options_: AttemptOptions
  private readonly transport_: Transport
  private parserSlot_: ParserSlot | undefined
  private lastEventIdString_: string
  // The spec's reconnection time is this, or DEFAULT_RECONNECTION_TIME while the server has set none.
  private serverRetry_: number | undefined
  private attempt_ = 0
  private origin_ = ''
  private connection_ = 0
  private recycling_ = false
  private abortRequest_: (() => void) | undefined
  // The one wait a source has at a time: before a reconnection, the heartbeat check of a connection,
  // or the task that reports an attempt that could not start.
  private timer_: ReturnType<typeof setTimeout> | undefined
  private lastActivity_ = 0
  private attributes_: HandlerAttributes | undefined
  private lastType_ = ''
  private readonly listened_ = new Dictionary<true>()

  constructor(url: string | URL, eventSourceInitDict?: EventSourceOptions) {
    super()
    if (arguments.length === 0) throw new TypeError("EventSource: 1 argument required (the stream's URL), but only 0 present")
    const options = normalizeOptions(eventSourceInitDict)
    this.options_ = options.attempt
    // Steps 3–5: parse the URL relative to the document's base URL; failure is a SyntaxError.
    this.url = resolveUrl(String(url))
    // Step 7: withCredentials picks the "use credentials" CORS mode.
    this.withCredentials = options.withCredentials
    this.lastEventIdString_ = options.lastEventId
    this.transport_ = chooseTransport(options)
    // Step 15: fetch the request.
    this.connect_()
  }

  /** CONNECTING (0), OPEN (1) or CLOSED (2). */
  get readyState(): 0 | 1 | 2 {
    return this.state_
  }

  /**
   * extension: the reconnection time the server set with a `retry:` field, in ms, or undefined while
   * it has set none; also after `close()`, so a wrapper that replaces the source can keep honouring it.
   */
  get serverRetry(): number | undefined {
    return this.serverRetry_
  }

  get onopen(): Handler<Event> {
    return this.handler_('open')
  }
  set onopen(value: Handler<Event>) {
    this.setHandler_('open', value)
  }
  get onmessage(): Handler<MessageEvent> {
    return this.handler_('message')
  }
  set onmessage(value: Handler<MessageEvent>) {
    this.setHandler_('message', value)
  }
  get onerror(): Handler<Event> {
    return this.handler_('error')
  }
  set onerror(value: Handler<Event>) {
    this.setHandler_('error', value)
  }

  /** Aborts the connection or a pending reconnection, in any state; nothing is dispatched after it. */
  close(): void {
    this.state_ = CLOSED
    this.stopConnection_()
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
    if (listener) this.listened_[String(type)] = true
    super.addEventListener(type, listener, options)
  }

  private handler_(type: string): Handler<any> {
    const attribute = this.attributes_ && this.attributes_[type]
    return attribute ? attribute.value : null
  }

  // Event handler IDL attributes: the first non-null value registers one listener that calls
  // whatever the attribute holds, so replacing a handler keeps its place among the listeners.
  private setHandler_(type: string, value: Handler<any>): void {
    const attributes = this.attributes_ || (this.attributes_ = new Dictionary())
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
  private static readonly Attempt_ = class Attempt implements TransportHandlers {
    constructor(
      private readonly source_: EventSource,
      private readonly connection_: number,
    ) {}

    private live_(): boolean {
      return this.connection_ === this.source_.connection_ && this.source_.state_ !== CLOSED
    }

    response(response: TransportResponse): void {
      if (this.live_()) this.source_.processResponse_(response)
    }

    text(chunk: string): void {
      if (!this.live_()) return
      const source = this.source_
      if (source.options_.heartbeatTimeout !== undefined) source.lastActivity_ = Date.now()
      source.parse_(chunk)
    }

    end(reason: 'eof' | 'recycle'): void {
      if (!this.live_()) return
      const source = this.source_
      source.abortRequest_ = undefined
      if (reason === 'recycle') {
        source.recycling_ = true
        source.connect_()
      } else {
        // processEventSourceEndOfBody: the body ended without a network error.
        source.reestablishConnection_(source.error_('stream-ended', 'the server ended the stream'))
      }
    }

    error(cause: unknown): void {
      if (!this.live_()) return
      const source = this.source_
      source.abortRequest_ = undefined
      // processResponse step 2: a network error reestablishes the connection.
      source.reestablishConnection_(source.error_('network', `network error${cause instanceof Error ? `: ${cause.message}` : ''}`, undefined, cause))
    }
  }

  /** A parser that feeds whichever source holds `slot`, ready for the start of a stream. */
  private static createParserSlot_(maxEventBytes: number | undefined): ParserSlot {
    const slot: ParserSlot = { parser: undefined!, source: undefined }
    slot.parser = createParser({
      onEvent: (message) => slot.source!.dispatchMessage_(message.event, message.data),
      onId: (id) => {
        // Dispatch step 1: the last event ID string takes the buffer's value, data or not.
        const source = slot.source!
        if (source.state_ === OPEN) source.lastEventIdString_ = id
      },
      onRetry: (retry) => {
        const source = slot.source!
        if (source.state_ === OPEN) source.serverRetry_ = retry
      },
      onError: (error: ParseError) => {
        // Unknown fields and non-digit retry values are ignored, as the spec says; only the size guard fails.
        if (error.type === 'max-buffer-size-exceeded') slot.source!.failTooLarge_()
      },
      maxBufferSize: maxEventBytes,
    })
    // Transports decode with the spec's UTF-8 decode, which already drops one leading BOM; the
    // parser would drop a second one, so its own check is spent here on a BOM of our making.
    slot.parser.feed('\uFEFF')
    return slot
  }

  /** Parses one chunk of the current connection's text. */
  private parse_(chunk: string): void {
    const key = '' + this.options_.maxEventBytes
    let slot = this.parserSlot_
    if (!slot) {
      // A spare parser is taken out while it parses, so a source that a listener opens meanwhile gets another.
      slot = spareParsers[key] || EventSource.createParserSlot_(this.options_.maxEventBytes)
      spareParsers[key] = undefined
      slot.source = this
      this.parserSlot_ = slot
    }
    // The parser joins the partial line it holds with the whole of the next chunk it is fed; fed the
    // chunk's first line on its own, it copies only that line, and takes the rest as it comes.
    const firstLine = chunk.indexOf('\n') + 1
    if (firstLine === 0 || firstLine === chunk.length) slot.parser.feed(chunk)
    else {
      slot.parser.feed(chunk.slice(0, firstLine))
      // A listener may have closed the source, or the size guard spent the parser.
      if (this.state_ !== CLOSED) slot.parser.feed(chunk.slice(firstLine))
    }
    // A blank line at the end of the chunk dispatched the event and left the parser as new; after an
    // overflow (CLOSED) it is spent. The source may have let go of it already, in a listener.
    if (endsAtEventBoundary(chunk) && this.state_ !== CLOSED) {
      if (this.parserSlot_ === slot) this.parserSlot_ = undefined
      slot.source = undefined
      spareParsers[key] = slot
    }
  }

  /** Starts one attempt: the request with this attempt's URL and headers. */
  private connect_(): void {
    const connection = ++this.connection_
    // A new stream starts with a new parser (one that holds no partial event).
    this.parserSlot_ = undefined
    const options = this.options_
    let url = this.url
    let headers!: Record<string, string>
    let failed: { cause: unknown } | undefined
    try {
      const info = { attempt: this.attempt_, lastEventId: this.lastEventIdString_, url: this.url }
      if (options.requestUrl) url = resolveUrl(options.requestUrl(info))
      const given = typeof options.headers === 'function' ? options.headers(info) : options.headers
      headers = given ? headerRecord(given) : {}
    } catch (cause) {
      failed = { cause }
    }
    // A per-attempt function may have called close(), thrown or not: this attempt is over before it started.
    if (connection !== this.connection_) return
    if (failed) {
      const error = this.error_('network', `a per-attempt option threw: ${String(failed.cause)}`, undefined, failed.cause)
      // An attempt that cannot start fails from a task, as the spec's fetch reports every failure:
      // the `error` listeners added right after the constructor hear it.
      this.wait_(0, () => this.reestablishConnection_(error))
      return
    }
    // Step 10: ask for an event stream.
    if (!hasHeader(headers, 'accept')) headers['Accept'] = 'text/event-stream'
    if (this.lastEventIdString_ !== '') {
      // Reestablish step 5: carry the last event ID, as a header or (extension) a query parameter.
      if (options.lastEventIdQueryParam) url = withQueryParam(url, options.lastEventIdQueryParam, this.lastEventIdString_)
      else if (!hasHeader(headers, 'last-event-id')) headers['Last-Event-ID'] = utf8Bytes(this.lastEventIdString_)
    }
    const handlers = new EventSource.Attempt_(this, connection)
    this.armHeartbeat_()
    try {
      this.abortRequest_ = this.transport_(
        { url, headers, withCredentials: this.withCredentials, fetch: options.fetch, recycleAfter: options.xhrRecycleAfter },
        handlers,
      )
    } catch (cause) {
      // From a task too; unless the transport reported an end, or a listener closed the source, before it threw.
      if (connection === this.connection_) this.wait_(0, () => handlers.error(cause))
    }
  }

  private processResponse_(response: TransportResponse): void {
    const origin = originOf(response.url)
    // Usually a prefix of the URL the source holds anyway: a slice of it is a few bytes, the string built
    // from the parsed URL ~140.
    this.origin_ = this.url.lastIndexOf(origin, 0) === 0 ? this.url.slice(0, origin.length) : origin
    const summary: ResponseSummary = { status: response.status, statusText: response.statusText, url: response.url, headers: response.headers }
    // processResponse step 3: anything but a 200 text/event-stream fails the connection.
    if (response.status !== 200) {
      const text = response.statusText ? ` ${response.statusText}` : ''
      this.failConnection_(this.error_('http-status', `the server answered ${response.status}${text}, not 200`, summary))
    } else if (!isEventStream(response.contentType)) {
      const type = response.contentType ? `"${response.contentType}"` : 'no Content-Type'
      this.failConnection_(this.error_('content-type', `the server answered with ${type}, not text/event-stream`, summary))
    } else if (this.recycling_) {
      this.recycling_ = false
    } else {
      this.announceConnection_()
    }
  }

  /** "Announce the connection": OPEN, then `open`. */
  private announceConnection_(): void {
    if (this.state_ === CLOSED) return
    this.state_ = OPEN
    this.fire_('open')
  }

  /** "Fail the connection": CLOSED for good, then `error`. */
  private failConnection_(error: EventSourceError): void {
    if (this.state_ === CLOSED) return
    this.state_ = CLOSED
    this.stopConnection_()
    this.fireError_(error, false)
  }

  private failTooLarge_(): void {
    this.failConnection_(this.error_('event-too-large', `an event grew past maxEventBytes (${this.options_.maxEventBytes})`))
  }

  /** "Reestablish the connection": CONNECTING, `error`, wait the reconnection time, connect again. */
  private reestablishConnection_(error: EventSourceError): void {
    // Step 1: nothing to do once closed; otherwise CONNECTING and an error event.
    if (this.state_ === CLOSED) return
    this.stopConnection_()
    this.state_ = CONNECTING
    this.recycling_ = false
    this.fireError_(error, true)
    // Step 5 checks the state again: a listener may have called close().
    if (this.state_ !== CONNECTING) return
    // Step 2: wait the reconnection time, then connect with the last event ID.
    this.wait_(this.serverRetry_ === undefined ? DEFAULT_RECONNECTION_TIME : this.serverRetry_, () => {
      this.timer_ = undefined
      if (this.state_ !== CONNECTING) return
      this.attempt_++
      this.connect_()
    })
  }

  /** "Dispatch the event" steps 2–8, for one block the parser completed. */
  private dispatchMessage_(eventType: string | undefined, data: string): void {
    if (this.state_ !== OPEN) return
    // extension: maxEventBytes. The parser bounds what it buffers across chunks; an event that
    // arrived whole inside one chunk is measured here.
    const max = this.options_.maxEventBytes
    if (max !== undefined && data.length > max) {
      this.failTooLarge_()
      return
    }
    // The parser slices a new copy of the type for every event; handing the platform the same
    // string each time lets its listener lookup hit the cached hash.
    const type = eventType === undefined ? 'message' : eventType === this.lastType_ ? this.lastType_ : (this.lastType_ = eventType)
    if (this.listened_[type] !== true) return
    this.dispatchEvent(platform.event(type, { data, origin: this.origin_, lastEventId: this.lastEventIdString_ }))
  }

  private fire_(type: 'open'): void {
    if (this.listened_[type] === true) this.dispatchEvent(platform.event(type))
  }

  private fireError_(error: EventSourceError, willReconnect: boolean): void {
    if (this.listened_['error'] !== true) return
    const event = platform.event('error') as { -readonly [K in keyof EventSourceErrorEvent]: EventSourceErrorEvent[K] }
    event.error = error
    event.willReconnect = willReconnect
    event.serverRetry = this.serverRetry_
    this.dispatchEvent(event as EventSourceErrorEvent)
  }

  private error_(code: EventSourceErrorCode, detail: string, response?: ResponseSummary, cause?: unknown): EventSourceError {
    return new EventSourceError(code, `EventSource ${this.url}: ${detail}`, this.url, response, cause)
  }

  /** Aborts the request and clears every timer; the state is the caller's to set. */
  private stopConnection_(): void {
    this.connection_++
    this.parserSlot_ = undefined
    const abort = this.abortRequest_
    this.abortRequest_ = undefined
    if (abort) abort()
    clearTimeout(this.timer_)
    this.timer_ = undefined
  }

  // extension: heartbeatTimeout. One timer per connection, re-armed only when it fires, because
  // resetting a timer on every chunk would cost more than the parsing.
  private armHeartbeat_(): void {
    const timeout = this.options_.heartbeatTimeout
    if (timeout === undefined) return
    // Only a source with a heartbeat keeps the time (a number that is no small integer takes a heap cell).
    this.lastActivity_ = Date.now()
    const check = () => {
      const silent = Date.now() - this.lastActivity_
      if (silent < timeout) {
        this.wait_(timeout - silent, check)
        return
      }
      this.timer_ = undefined
      this.reestablishConnection_(this.error_('heartbeat-timeout', `nothing arrived for ${timeout} ms (heartbeatTimeout)`))
    }
    // A recycled XHR connection is still armed: wait_ replaces its check.
    this.wait_(timeout, check)
  }

  /** Runs `then` after `ms` (at most LONGEST_WAIT) in the source's one timer, replacing what it held. */
  private wait_(ms: number, then: () => void): void {
    clearTimeout(this.timer_)
    this.timer_ = setTimeout(then, ms < LONGEST_WAIT ? ms : LONGEST_WAIT)
  }
}

// The IDL constants live on the prototype too, so `source.OPEN` works as in browsers.
Object.defineProperties(EventSource.prototype, {
  CONNECTING: { value: CONNECTING, enumerable: true },
  OPEN: { value: OPEN, enumerable: true },
  CLOSED: { value: CLOSED, enumerable: true },
})
