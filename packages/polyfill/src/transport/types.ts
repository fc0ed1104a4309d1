import type { HeaderReader } from '../errors.ts'

/** The minimal `fetch` the fetch transport uses; inject your own through the `fetch` option. */
export type FetchLike = (
  url: string,
  init: {
    method: 'GET'
    headers: Record<string, string>
    credentials: 'include' | 'same-origin'
    cache: 'no-store'
    redirect: 'follow'
    mode: 'cors'
    signal?: AbortSignal
  },
) => Promise<{
  status: number
  statusText: string
  url: string
  headers: HeaderReader
  body: { getReader(): { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> } } | null
}>

/** One connection attempt, as the event source asks a transport to make it. */
export interface TransportRequest {
  /** Absolute URL (the last event id already added as a query parameter where configured). */
  url: string
  /** Request headers, `Accept` and `Last-Event-ID` included. */
  headers: Record<string, string>
  withCredentials: boolean
  /** The `fetch` to use (the fetch transport only); defaults to the global one. */
  fetch: FetchLike | undefined
  /**
   * The XHR transport's memory bound: once this many characters have arrived and the stream sits
   * between two events, it asks to be recycled (`end('recycle')`).
   */
  recycleAfter: number
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
  /** The request or the body failed at the network level. */
  error(cause: unknown): void
}

/** Starts one request and returns its abort function. */
export type Transport = (request: TransportRequest, handlers: TransportHandlers) => () => void

/** The names of the built-in transports. */
export type TransportName = 'fetch' | 'xhr'
