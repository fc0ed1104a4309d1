import type { EventSourceParser } from 'eventsource-parser'
import { Attempt, type AttemptOwner } from './attempt.ts'
import { attemptRequest } from './attempt-request.ts'
import { Dictionary } from './dictionary.ts'
import { handlerOf, setHandler, type Handler, type HandlerAttributes } from './handler-attributes.ts'
import { EventSourceError, type EventSourceErrorCode, type ResponseSummary } from './errors.ts'
import type { AddOptions, AnyListener, EventSourceErrorEvent, EventSourceEventMap } from './event-types.ts'
import { crossOrigin } from './cors-fallback.ts'
import { isEventStream } from './mime.ts'
import { openLines } from './open-lines.ts'
import { readOptions, type EventSourceOptions } from './options.ts'
import { platform } from './platform.ts'
import { createStreamParser, onlyComments, type ParserOwner } from './stream-parser.ts'
import { ERROR_BODY_LIMIT, type Transport, type TransportResponse } from './transport/types.ts'
import { originOf, resolveUrl } from './url.ts'

// The DOM's overloads, typed onto the inherited methods (the class does not wrap them).
export interface EventSource {
  removeEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => any,
    options?: boolean | EventListenerOptions,
  ): void
  removeEventListener(type: string, listener: (this: EventSource, event: MessageEvent) => any, options?: boolean | EventListenerOptions): void
  removeEventListener(type: string, listener: AnyListener | null, options?: boolean | EventListenerOptions): void
  dispatchEvent(event: Event): boolean
}

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2
const DEFAULT_RECONNECTION_TIME = 3000
// Past this many ms, browsers and Node run a timer at once: a longer wait would become a tight loop.
const LONGEST_WAIT = 2147483647
// Whether the prototype has its `Symbol.toStringTag` yet (see the constructor).
let tagged = false
// How long a failed response's body may take to arrive before the error goes out without the rest of it.
const ERROR_BODY_WAIT = 1000

// Read once, when the class is defined (after the legacy entry's stand-ins are in place). A plain
// identifier after `extends`, read through a pure call: bundlers then drop the class from bundles
// that import something else from the package.
const Base = /* @__PURE__ */ (() => platform.EventTarget)()

/**
 * A spec-exact `EventSource` (WHATWG HTML, "Server-sent events") on `fetch`, `node:http` or
 * `XMLHttpRequest`. Use it in place of the platform's; the optional second argument adds documented
 * extensions.
 *
 * @example
 * const source = new EventSource('/notify')
 * source.addEventListener('myEvent', (event) => console.log(event.data, event.lastEventId))
 */
export class EventSource extends Base {
  // Getters, not static fields: a compiled static field is an assignment after the class, which
  // would keep the class in every bundle that imports anything from the package.
  static get CONNECTING(): 0 {
    return CONNECTING
  }
  static get OPEN(): 1 {
    return OPEN
  }
  static get CLOSED(): 2 {
    return CLOSED
  }

  private readonly url_: string
  private readonly withCredentials_: boolean
  private readonly maxEventBytes_: number | undefined
  private readonly transport_: Transport
  private state_: 0 | 1 | 2 = CONNECTING
  private lastEventIdString_: string
  // The spec's reconnection time is this, or DEFAULT_RECONNECTION_TIME while the server has set none.
  private serverRetry_: number | undefined
  // The current connection's parser, made with its first chunk (a stream that never sends one needs none).
  private parser_: EventSourceParser | undefined
  private attempt_ = 0
  private origin_ = ''
  // Counts attempts and stops: an attempt whose number is no longer this one is over.
  private connection_ = 0
  private recycling_ = false
  // A failed response's error, while the start of its body arrives.
  private failing_: EventSourceError | undefined
  private errorBody_ = ''
  // Lines the event still open at the end of the last chunk has had (extension: maxEventBytes).
  private openLines_ = 0
  // Whether the current attempt has had a response; whether the last event id goes in the query (see broke_).
  private responded_ = false
  private idInQuery_ = false
  private abortRequest_: (() => void) | undefined
  // The one wait a source has at a time: before a reconnection, for a failed response's body, or
  // the task that reports an attempt that could not start.
  private timer_: ReturnType<typeof setTimeout> | undefined
  private attributes_: HandlerAttributes | undefined
  private lastType_ = ''
  private readonly listened_ = new Dictionary<true>()

  constructor(url: string | URL, eventSourceInitDict?: EventSourceOptions) {
    super()
    if (arguments.length === 0) throw new TypeError('EventSource: a URL is required')
    // `Object.prototype.toString.call(source)` is `[object EventSource]`, as in browsers. Set by the
    // first source: a class-level definition would keep the class in bundles that never use it.
    if (!tagged && typeof Symbol === 'function') {
      tagged = true
      Object.defineProperty(EventSource.prototype, Symbol.toStringTag, { value: 'EventSource', configurable: true })
    }
    const options = readOptions(eventSourceInitDict)
    // Steps 3–5: parse the URL relative to the document's base URL; failure is a SyntaxError.
    this.url_ = resolveUrl(String(url))
    // Step 7: withCredentials picks the "use credentials" CORS mode.
    this.withCredentials_ = options[0]
    this.lastEventIdString_ = options[1]
    this.maxEventBytes_ = options[2]
    this.transport_ = options[3] || platform.transport
    // Step 15: fetch the request.
    this.connect_()
  }

  /** The resolved URL of the stream. */
  get url(): string {
    return this.url_
  }

  /** Whether the request sends credentials cross-origin. */
  get withCredentials(): boolean {
    return this.withCredentials_
  }

  /** CONNECTING (0), OPEN (1) or CLOSED (2). */
  get readyState(): 0 | 1 | 2 {
    return this.state_
  }

  // The IDL constants are on the prototype too, so `source.OPEN` works as in browsers.
  get CONNECTING(): 0 {
    return CONNECTING
  }
  get OPEN(): 1 {
    return OPEN
  }
  get CLOSED(): 2 {
    return CLOSED
  }

  /**
   * extension: the last event id as the source will send it when it reconnects (`''` when none),
   * id-only blocks and events nobody listens to included, so a wrapper never resumes worse than this.
   */
  get lastEventId(): string {
    return this.lastEventIdString_
  }

  /**
   * extension: the reconnection time the server set with a `retry:` field, in ms, or undefined while
   * it has set none; also after `close()`, so a wrapper that replaces the source can keep honouring it.
   */
  get serverRetry(): number | undefined {
    return this.serverRetry_
  }

  get onopen(): Handler<Event> {
    return handlerOf(this.attributes_, 'open')
  }
  set onopen(value: Handler<Event>) {
    this.attributes_ = setHandler(this, this.attributes_, 'open', value)
  }
  get onmessage(): Handler<MessageEvent> {
    return handlerOf(this.attributes_, 'message')
  }
  set onmessage(value: Handler<MessageEvent>) {
    this.attributes_ = setHandler(this, this.attributes_, 'message', value)
  }
  get onerror(): Handler<Event> {
    return handlerOf(this.attributes_, 'error')
  }
  set onerror(value: Handler<Event>) {
    this.attributes_ = setHandler(this, this.attributes_, 'error', value)
  }

  /** Aborts the connection or a pending reconnection, in any state; nothing is dispatched after it. */
  close(): void {
    this.state_ = CLOSED
    this.stopConnection_()
  }

  override addEventListener<K extends keyof EventSourceEventMap>(
    type: K,
    listener: (this: EventSource, event: EventSourceEventMap[K]) => any,
    options?: AddOptions,
  ): void
  override addEventListener(type: string, listener: (this: EventSource, event: MessageEvent) => any, options?: AddOptions): void
  override addEventListener(type: string, listener: AnyListener | null, options?: AddOptions): void
  override addEventListener(type: string, listener: any, options?: AddOptions): void {
    // Remembered so that events nobody listens to are never built.
    if (listener) this.listened_[String(type)] = true
    super.addEventListener(type, listener, options)
  }

  /** Starts one attempt: steps 10–15 (and reestablish step 5), the request the spec makes, to the transport. */
  private connect_(): void {
    const connection = ++this.connection_
    // A new stream starts with a new parser (one that holds no partial event).
    this.parser_ = undefined
    this.openLines_ = 0
    this.responded_ = false
    this.failing_ = undefined
    const request = attemptRequest(this.url_, this.lastEventIdString_, this.idInQuery_, this.withCredentials_, this.attempt_)
    const handlers = new Attempt(this as unknown as AttemptOwner, connection)
    try {
      const abort = this.transport_(request, handlers)
      // A transport's step may have closed the source, or superseded the attempt, before it returned.
      if (connection === this.connection_) this.abortRequest_ = abort
      else abort()
    } catch (cause) {
      // An attempt that cannot start fails from a task, as the spec's fetch reports every failure:
      // the `error` listeners added right after the constructor hear it. Unless the transport
      // reported an end, or a listener closed the source, before it threw.
      if (connection === this.connection_) this.wait_(0, () => handlers.error(cause))
    }
  }

  /** @internal (for its attempts) The response head: processResponse steps 3-4. */
  processResponse_(response: TransportResponse): void {
    this.responded_ = true
    this.origin_ = originOf(response.url)
    const summary: ResponseSummary = { status: response.status, statusText: response.statusText, url: response.url, headers: response.headers, body: '' }
    const status = response.status
    const type = response.contentType
    // processResponse step 3: anything but a 200 text/event-stream fails the connection.
    if (status !== 200 || !isEventStream(type)) {
      // extension: first the start of the body, which says why (at most ERROR_BODY_LIMIT, ERROR_BODY_WAIT).
      this.failing_ =
        status !== 200
          ? this.error_('http-status', `HTTP ${status} ${response.statusText}, not 200`, summary)
          : this.error_('content-type', `Content-Type "${type}", not text/event-stream`, summary)
      this.errorBody_ = ''
      this.wait_(ERROR_BODY_WAIT, () => this.failWithBody_())
    } else if (this.recycling_) {
      this.recycling_ = false
    } else {
      this.announceConnection_()
    }
  }

  /** @internal (for its attempts) A chunk of the current connection's text: the stream's, or a failed response's body. */
  receive_(chunk: string): void {
    if (this.failing_) {
      this.errorBody_ += chunk
      if (this.errorBody_.length >= ERROR_BODY_LIMIT) this.failWithBody_()
      return
    }
    const max = this.maxEventBytes_
    if (max !== undefined) {
      // extension: maxEventBytes also bounds an event's lines. The parser joins data lines one by one
      // and each join costs memory beyond its characters (~60 B), so an event of a million empty
      // `data:` lines would take 60 MB while its data is 1 MB: past max / 16 lines (at least 1024)
      // the event is too large, and memory stays within a few times the cap for any shape of event.
      const [lines, blank] = openLines(chunk)
      const open = (this.openLines_ = blank ? lines : this.openLines_ + lines)
      if (open > (max > 16384 ? max / 16 : 1024)) return this.failTooLarge_()
    }
    let parser = this.parser_
    if (!parser) {
      if (onlyComments(chunk)) return
      parser = this.parser_ = createStreamParser(this as unknown as ParserOwner)
    }
    // The parser joins the partial line it holds with the whole of the next chunk it is fed; fed the
    // chunk's first line on its own, it copies only that line (json: 1.7 -> 1.1 µs per event).
    const firstLine = chunk.indexOf('\n') + 1
    if (firstLine === 0 || firstLine === chunk.length) parser.feed(chunk)
    else {
      parser.feed(chunk.slice(0, firstLine))
      // A listener may have closed the source, or the size guard spent the parser.
      if (this.parser_ === parser) parser.feed(chunk.slice(firstLine))
    }
  }

  /** @internal (for its attempts) The body ended: the XHR transport recycling its request (reconnect at once), or the end of the stream. */
  ended_(reason: 'eof' | 'recycle'): void {
    if (this.failing_) this.failWithBody_()
    else if (reason === 'recycle') {
      this.recycling_ = true
      this.connect_()
    } else {
      // processEventSourceEndOfBody: the body ended without a network error.
      this.reestablishConnection_(this.error_('stream-ended', 'the server ended the stream'))
    }
  }

  /** @internal (for its attempts) The request or the body failed: processResponse step 2, a network error reestablishes the connection. */
  broke_(error: EventSourceError | undefined, cause: unknown): void {
    // extension: a cross-origin request with Last-Event-ID needs a CORS preflight, which a server
    // that works with the browser's own EventSource (whose header needs none) may refuse, and a
    // refused preflight looks like any network error. So cross-origin, an attempt that failed before
    // any response hands the next one the other way to carry the id (header, `lastEventId` query
    // parameter, header, …); the way of the last attempt that got a response stays.
    if (!this.responded_ && this.lastEventIdString_ !== '' && crossOrigin(originOf(this.url_))) this.idInQuery_ = !this.idInQuery_
    if (this.failing_) this.failWithBody_()
    else this.reestablishConnection_(error || this.error_('network', `network error${cause instanceof Error ? ': ' + cause.message : ''}`, undefined, cause))
  }

  /** "Fail the connection" for a failed response, with the start of its body. */
  private failWithBody_(): void {
    const error = this.failing_! as { body: string | undefined; response: ResponseSummary }
    error.body = error.response.body = this.errorBody_.slice(0, ERROR_BODY_LIMIT)
    this.failConnection_(this.failing_!)
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

  /** @internal (for its parser) An event outgrew `maxEventBytes`: fail the connection. */
  failTooLarge_(): void {
    this.failConnection_(this.error_('event-too-large', `an event outgrew maxEventBytes (${this.maxEventBytes_} characters, or a sixteenth as many lines)`))
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

  /** @internal (for its parser) "Dispatch the event" steps 2–8, for one block the parser completed. */
  dispatchMessage_(eventType: string | undefined, data: string): void {
    if (this.state_ !== OPEN) return
    // extension: maxEventBytes. The parser bounds what it buffers across chunks; an event that
    // arrived whole inside one chunk is measured here.
    const max = this.maxEventBytes_
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
    return new EventSourceError(code, `EventSource ${this.url_}: ${detail}`, this.url_, response, cause)
  }

  /** Aborts the request and clears every timer; the state is the caller's to set. */
  private stopConnection_(): void {
    this.connection_++
    this.parser_ = undefined
    const abort = this.abortRequest_
    this.abortRequest_ = undefined
    if (abort) abort()
    clearTimeout(this.timer_)
    this.timer_ = undefined
  }

  /** Runs `then` after `ms` (at most LONGEST_WAIT) in the source's one timer, replacing what it held. */
  private wait_(ms: number, then: () => void): void {
    clearTimeout(this.timer_)
    this.timer_ = setTimeout(then, ms < LONGEST_WAIT ? ms : LONGEST_WAIT)
  }
}
