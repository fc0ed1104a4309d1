import type { HeaderReader } from '../errors.ts'

/** The minimal `fetch` the fetch transport uses; give your own to {@link createFetchTransport}. */
export type FetchLike = (
  url: string,
  init: {
    method: string
    headers: Record<string, string>
    body: RequestBody | undefined
    credentials: 'include' | 'same-origin'
    cache: 'no-store'
    redirect: 'follow' | 'error'
    signal?: AbortSignal
  },
) => Promise<{
  status: number
  statusText: string
  url: string
  headers: HeaderReader
  body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> } } | null
}>

/**
 * A request body: a string on every transport; what `fetch` (or `XMLHttpRequest.send`) accepts
 * besides, where the transport can send it (the node transport sends strings, an ArrayBuffer, bytes
 * (a Uint8Array, accepted though not typed here: TypeScript 5.7+ would then refuse the platform's
 * fetch as a FetchLike) and URLSearchParams).
 */
export type RequestBody = string | ArrayBuffer | Blob | FormData | URLSearchParams

/** One connection attempt, as the event source asks a transport to make it. */
export interface TransportRequest {
  /** Absolute URL. */
  url: string
  /** `GET` unless a request step changed it. */
  method: string
  /** Request headers, `Accept` and `Last-Event-ID` included. */
  headers: Record<string, string>
  /** The request body, if a request step gave one. */
  body: RequestBody | undefined
  withCredentials: boolean
  /**
   * `'error'` refuses redirects (a network error): for requests that carry a secret (an API key in a
   * header) that a redirect to another origin must not get, since fetch forwards every header but
   * `Authorization` there. The XHR transport cannot refuse before following: it fails the response
   * after. @default 'follow'
   */
  redirect?: 'follow' | 'error'
  /** 0 for the first connection, then 1, 2, … for each reconnection. */
  readonly attempt: number
  /** The last event id (`''` when there is none); already in the `Last-Event-ID` header when not empty. */
  readonly lastEventId: string
}

/** What a transport saw of the response head. */
export interface TransportResponse {
  status: number
  statusText: string
  /** The `Content-Type` header, or `''`. */
  contentType: string
  /** The final URL after redirects (the request URL where the platform cannot tell). */
  url: string
  headers: HeaderReader
}

/** How much of a failed response's body the source keeps for its error: enough for any error document, bounded against a hostile server. */
export const ERROR_BODY_LIMIT = 65536

/**
 * How a transport reports back. After `abort()` has been called, or after `end` or `error`, a
 * transport calls nothing more. These are methods of the object (one per attempt, shared code on its
 * prototype): call them on it (`handlers.text(chunk)`), or bind one to pass it on its own.
 */
export interface TransportHandlers {
  /** The response head arrived. Called once, before any `text`. */
  response(response: TransportResponse): void
  /** Decoded UTF-8 text of the body, in order, split anywhere. */
  text(chunk: string): void
  /**
   * The body ended: `'eof'` when the server closed it, `'recycle'` when the XHR transport wants a
   * fresh request to bound its memory (only ever between two events).
   */
  end(reason: 'eof' | 'recycle'): void
  /**
   * The request or the body failed at the network level. An `EventSourceError` is reported as it
   * is (a heartbeat timeout, say); anything else as a `network` error whose `cause` it is.
   */
  error(cause: unknown): void
  /**
   * Whether the source still wants this attempt (false once it closed or moved on): a transport
   * that does work before its request (a request step, say) checks it before sending anything.
   */
  active(): boolean
}

/** Starts one request and returns its abort function. */
export type Transport = (request: TransportRequest, handlers: TransportHandlers) => () => void
