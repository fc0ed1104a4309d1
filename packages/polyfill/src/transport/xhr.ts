import type { HeaderReader } from '../errors.ts'
import { endsAtEventBoundary } from '../event-boundary.ts'
import type { Transport, TransportRequest, TransportResponse } from './types.ts'

// This file runs in IE10/11-class browsers: no Promise, Symbol, Map, TextDecoder or globalThis at
// run time, and `XMLHttpRequest` is looked up as a free global at call time (tests stub it there).

const HEADERS_RECEIVED = 2
const LOADING = 3
const DONE = 4
const REPLACEMENT_CHARACTER = 0xfffd
const NETWORK_FAILURE = 'failed (network error, refused connection, or blocked by CORS)'

function noop(): void {}

/** Parses `getAllResponseHeaders()` into a dictionary of lower-case names (repeated ones joined by ", "). */
function parseHeaderBlock(block: string): Record<string, string> {
  const headers: Record<string, string> = Object.create(null)
  const lines = block.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).replace(/^\s+|\s+$/g, '').toLowerCase()
    const value = line.slice(colon + 1).replace(/^\s+|\s+$/g, '')
    headers[name] = name in headers ? headers[name] + ', ' + value : value
  }
  return headers
}

/**
 * Reads response headers live while the request is alive and from a snapshot taken with the response
 * head afterwards: an aborted XHR (after `close()` or a recycle) forgets its headers, but an error
 * event may still want to show them.
 */
function headerReader(xhr: XMLHttpRequest): HeaderReader {
  let snapshot: Record<string, string> = Object.create(null)
  try {
    snapshot = parseHeaderBlock(xhr.getAllResponseHeaders() || '')
  } catch (_) {
    // Old IE throws before the head is complete; the live reader below still answers.
  }
  return {
    get(name: string): string | null {
      let value: string | null = null
      try {
        value = xhr.getResponseHeader(name)
      } catch (_) {
        value = null
      }
      if (value == null) {
        const key = String(name).toLowerCase()
        value = key in snapshot ? snapshot[key]! : null
      }
      return value
    },
  }
}

function startRequest(xhr: XMLHttpRequest, request: TransportRequest): void {
  xhr.open(request.method, request.url, true)
  // IE10 throws when `withCredentials` is set before `open()`.
  xhr.withCredentials = request.withCredentials
  const headers = request.headers
  for (const name in headers) {
    if (Object.prototype.hasOwnProperty.call(headers, name)) xhr.setRequestHeader(name, headers[name]!)
  }
  // The event stream is always UTF-8, whatever the charset parameter says (IE10 has no override
  // and decodes by that parameter).
  if (typeof xhr.overrideMimeType === 'function') xhr.overrideMimeType('text/plain; charset=utf-8')
  xhr.send(request.body === undefined ? null : (request.body as XMLHttpRequestBodyInit))
}

/** The text so far, or undefined where it cannot be read yet (old IE, before readyState 3 completes). */
function responseText(xhr: XMLHttpRequest): string | undefined {
  try {
    const text = xhr.responseText
    return typeof text === 'string' ? text : undefined
  } catch (_) {
    return undefined
  }
}

/** Options of {@link createXhrTransport}. */
export interface XhrTransportOptions {
  /**
   * `responseText` only grows: once this many characters have arrived and the text ends between
   * two events, the transport asks for a fresh request (`end('recycle')`), which the source makes at
   * once with the last event id. @default 4_194_304
   */
  recycleAfter?: number
}

/**
 * An `XMLHttpRequest` transport, for browsers whose `fetch` cannot stream a body (IE10/11, old
 * Android and Safari). It reads the growth of `responseText` on `progress` and `readystatechange`.
 *
 * `responseText` only grows, so once `recycleAfter` characters have arrived and the text ends
 * between two events it aborts and reports `end('recycle')`; the event source then reconnects at
 * once with the last event id. Text the server had sent but that had not yet arrived is lost with
 * the aborted request; the server resends it from `Last-Event-ID`.
 */
export function createXhrTransport(options?: XhrTransportOptions): Transport {
  const recycleAfter = (options && options.recycleAfter) || 4194304
  if (!(recycleAfter > 0)) throw new TypeError('createXhrTransport: option `recycleAfter` must be a positive number, got ' + String(recycleAfter))
  return function (request, handlers) {
    return startXhr(request, handlers, recycleAfter)
  }
}

function startXhr(request: TransportRequest, handlers: Parameters<Transport>[1], recycleAfter: number): () => void {
  const xhr = new XMLHttpRequest()
  let finished = false
  let responded = false
  /** How much of `responseText` has been passed to `handlers.text`. */
  let offset = 0

  function detach(): void {
    // Old IE throws on assigning `null` to an XHR event handler; a no-op is safe everywhere.
    xhr.onreadystatechange = noop
    xhr.onprogress = noop
    xhr.onload = noop
    xhr.onerror = noop
    xhr.ontimeout = noop
    xhr.onabort = noop
  }

  /** Marks the request over and cancels it; after this no handler is called. */
  function stop(): void {
    finished = true
    detach()
    try {
      xhr.abort()
    } catch (_) {
      // Aborting a request that never started throws in some engines; there is nothing to cancel.
    }
  }

  function fail(what: string): void {
    if (finished) return
    stop()
    handlers.error(new Error('EventSource: the XMLHttpRequest to ' + request.url + ' ' + what))
  }

  /** The status, or 0 where it cannot be read yet (old IE throws before readyState 3). */
  function readStatus(): number {
    try {
      return xhr.status
    } catch (_) {
      return 0
    }
  }

  /** Reports the response head once it can be read; false while it cannot yet, or if `response()` aborted. */
  function announce(): boolean {
    let status = readStatus()
    if (status === 0) return false
    let statusText = ''
    try {
      statusText = xhr.statusText
    } catch (_) {
      statusText = ''
    }
    // IE reports a 204 No Content as 1223.
    if (status === 1223) {
      status = 204
      statusText = 'No Content'
    }
    let contentType = ''
    try {
      contentType = xhr.getResponseHeader('Content-Type') || ''
    } catch (_) {
      contentType = ''
    }
    const response: TransportResponse = {
      status: status,
      statusText: statusText,
      contentType: contentType,
      url: xhr.responseURL || request.url,
      headers: headerReader(xhr),
    }
    responded = true
    handlers.response(response)
    return !finished
  }

  /** Passes on the new part of `responseText`, then recycles the request if it is due. */
  function pull(done: boolean): void {
    const text = responseText(xhr)
    // Old IE cannot read `responseText` before readyState 3 completes; a later event retries.
    if (text === undefined) return
    let end = text.length
    // An XHR that decodes the bytes received so far from scratch (as the XHR spec words it, and as
    // jsdom does) shows a multi-byte character split across packets as a trailing U+FFFD, then
    // replaces it with the character once the rest arrives. Hold a trailing U+FFFD back until
    // more text or the end of the body settles it.
    if (!done && end > offset && text.charCodeAt(end - 1) === REPLACEMENT_CHARACTER) end--
    if (end > offset) {
      const chunk = text.slice(offset, end)
      offset = end
      handlers.text(chunk)
      if (finished) return
    }
    if (!done && offset >= recycleAfter && offset === text.length &&
      endsAtEventBoundary(text.slice(offset < 3 ? 0 : offset - 3, offset))) {
      stop()
      handlers.end('recycle')
    }
  }

  /** One handler for `readystatechange`, `progress` and `load`, as browsers differ in which fire. */
  function check(): void {
    if (finished) return
    const state = xhr.readyState
    if (state < HEADERS_RECEIVED) return
    // A request that fails at the network level, before or during the body, ends in readyState 4
    // with status 0 (and its text dropped), followed by an `error` event some browsers skip.
    if (state === DONE && readStatus() === 0) return fail(NETWORK_FAILURE)
    // redirect: 'error' cannot stop XMLHttpRequest from following: the response of one that did fails.
    if (request.redirect === 'error' && xhr.responseURL && xhr.responseURL !== request.url) return fail('was redirected (redirect: error)')
    if (!responded && !announce()) return
    if (state < LOADING) return
    pull(state === DONE)
    if (finished || state !== DONE) return
    finished = true
    detach()
    handlers.end('eof')
  }

  xhr.onreadystatechange = check
  xhr.onprogress = check
  xhr.onload = check
  xhr.onerror = function () {
    fail(NETWORK_FAILURE)
  }
  xhr.ontimeout = function () {
    fail('timed out')
  }
  xhr.onabort = function () {
    fail('was aborted by the browser')
  }

  try {
    startRequest(xhr, request)
  } catch (cause) {
    // `open`/`setRequestHeader`/`send` throw on a bad URL or header; report it like any failure,
    // but after returning, so the caller holds the abort function before any handler runs.
    setTimeout(function () {
      fail('could not be sent: ' + String(cause))
    }, 0)
  }

  return function abort(): void {
    if (!finished) stop()
  }
}

/** The XHR transport with the default `recycleAfter` (4 MiB): `transport: xhrTransport`, and the legacy entry's default where fetch cannot stream. */
export const xhrTransport: Transport = /* @__PURE__ */ createXhrTransport()
