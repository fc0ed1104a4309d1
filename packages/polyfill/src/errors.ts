/** What went wrong, as a discriminant a program can switch on. */
export type EventSourceErrorCode =
  /** The request failed before a response arrived, or the body broke off (DNS, refused, reset, CORS). */
  | 'network'
  /** The response status was not 200 (204 included: the server's way to say "stop"). */
  | 'http-status'
  /** The response was 200 but its `Content-Type` was not `text/event-stream`. */
  | 'content-type'
  /** The server ended the response body; the source reconnects. */
  | 'stream-ended'
  /** Nothing arrived for the `withHeartbeat` timeout; the source reconnects. */
  | 'heartbeat-timeout'
  /** One event grew past `maxEventBytes`; the source closes. */
  | 'event-too-large'
  /** A `withRequest` step threw or rejected (a token could not be fetched, say); nothing was sent and the source reconnects. */
  | 'request'

/** Response headers, readable by name (a `Headers` or anything with a case-insensitive `get`). */
export interface HeaderReader {
  get(name: string): string | null
}

/** The response an error came from, where there was one. */
export interface ResponseSummary {
  status: number
  statusText: string
  /** The final URL after redirects. */
  url: string
  headers: HeaderReader
  /** The start of the response's body (at most 64 KiB), where the transport could read it: what the server said went wrong. */
  body: string | undefined
}

/**
 * The error carried by every `error` event of the polyfill (as `event.error`).
 *
 * @example
 * source.onerror = (event) => {
 *   if (isEventSourceError(event.error) && event.error.code === 'http-status') console.log(event.error.status)
 * }
 */
export class EventSourceError extends Error {
  override readonly name = 'EventSourceError' as const
  readonly code: EventSourceErrorCode
  /** The URL of the request that failed. */
  readonly url: string
  /** The response, for `http-status` and `content-type`. */
  readonly response: ResponseSummary | undefined
  /** The response status, for `http-status` and `content-type`. */
  readonly status: number | undefined
  /** The start of the response's body (at most 64 KiB), for `http-status` and `content-type`: a JSON error document, say. */
  readonly body: string | undefined

  constructor(code: EventSourceErrorCode, message: string, url: string, response?: ResponseSummary, cause?: unknown) {
    super(message)
    this.code = code
    this.url = url
    this.response = response
    this.status = response && response.status
    this.body = response && response.body
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause
  }
}

/** True for an {@link EventSourceError}, also one from another realm or another copy of the package. */
export function isEventSourceError(value: unknown): value is EventSourceError {
  return value instanceof EventSourceError || (value instanceof Error && value.name === 'EventSourceError' && 'code' in value)
}
