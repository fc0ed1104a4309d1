import type { FetchLike, Transport } from './types.ts'
import { Utf8Stream } from './utf8.ts'

type FetchReader = { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> }

/** Whether the platform's `fetch` can stream a body as text (a `ReadableStream` body and `TextDecoder`). */
export function fetchStreams(): boolean {
  return typeof fetch === 'function' && typeof ReadableStream === 'function' && typeof TextDecoder === 'function'
}

/**
 * The fetch transport: one `fetch` per attempt, its body read chunk by chunk and decoded as a
 * streaming UTF-8 `TextDecoder` would, so a character split between chunks decodes whole, invalid
 * bytes become U+FFFD and one leading BOM is dropped (the spec's "UTF-8 decode").
 */
export const fetchTransport: Transport = (request, handlers) => {
  const doFetch: FetchLike = request.fetch || (fetch as unknown as FetchLike)
  const url = request.url
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined
  let reader: FetchReader | undefined
  let text: Utf8Stream | undefined
  let live = true

  const fail = (cause: unknown) => {
    if (!live) return
    live = false
    handlers.error(cause)
  }

  // One read at a time, each started by the last one's callback rather than returned from it: a
  // promise returned from a reaction chains onto the one before, and an open stream would keep
  // every read it ever made.
  const read = (result: { done: boolean; value?: Uint8Array }) => {
    if (!live) return
    try {
      if (result.done) {
        const rest = text!.end()
        if (rest) handlers.text(rest)
        if (!live) return
        live = false
        handlers.end('eof')
        return
      }
      const chunk = text!.decode(result.value!)
      if (chunk) handlers.text(chunk)
      if (live) reader!.read().then(read, fail)
    } catch (cause) {
      fail(cause)
    }
  }

  doFetch(url, {
    method: 'GET',
    headers: request.headers,
    credentials: request.withCredentials ? 'include' : 'same-origin',
    cache: 'no-store',
    redirect: 'follow',
    mode: 'cors',
    signal: controller && controller.signal,
  }).then((response) => {
    const body = response.body
    if (!live) {
      if (body) body.getReader().cancel().then(undefined, () => undefined)
      return
    }
    const bodyReader = body && body.getReader()
    reader = bodyReader || undefined
    // Claim the first chunk before the `open` listeners run: a body that errors discards the chunks
    // it holds unread, so events that came before a network error would be lost.
    const first = bodyReader && bodyReader.read()
    handlers.response({
      status: response.status,
      statusText: response.statusText,
      contentType: response.headers.get('content-type') || '',
      url: response.url || url,
      headers: response.headers,
    })
    if (!first) {
      if (!live) return
      live = false
      handlers.end('eof')
      return
    }
    if (!live) {
      first.then(undefined, () => undefined)
      return
    }
    text = new Utf8Stream()
    first.then(read, fail)
  }).then(undefined, fail)

  return () => {
    if (!live) return
    live = false
    if (controller) controller.abort()
    if (reader) reader.cancel().then(undefined, () => undefined)
  }
}
