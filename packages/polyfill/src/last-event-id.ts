const CONTROL = /[\x01-\x08\x0a-\x1f\x7f]/

/**
 * The `Last-Event-ID` header value of an id: UTF-8 encoded, as a byte string (header values given
 * to `fetch` and `XMLHttpRequest` take one character per byte). The spec lets an id hold any
 * control character but NUL, and Node's HTTP stack refuses a header with one (every attempt would
 * fail): in such an id the control characters, and `%` so that a server can undo it, are
 * percent-encoded. Every other id is sent as it is. A lone surrogate cannot reach here: the stream's
 * UTF-8 decode never makes one, and the `lastEventId` option refuses one.
 */
export function lastEventIdHeader(id: string): string {
  const bytes = unescape(encodeURIComponent(id))
  return CONTROL.test(bytes) ? bytes.replace(/[\x01-\x08\x0a-\x1f\x7f%]/g, encodeURIComponent) : bytes
}
