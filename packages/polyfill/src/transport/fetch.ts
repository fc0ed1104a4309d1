import type { FetchLike, Transport } from './types.ts'

/** Whether the platform's `fetch` can stream a body as text (a `ReadableStream` body and `TextDecoder`). */
export function fetchStreams(): boolean {
  return typeof fetch === 'function' && typeof ReadableStream === 'function' && typeof TextDecoder === 'function'
}

/**
 * The fetch transport: one `fetch` per attempt, its body read chunk by chunk and decoded by a
 * streaming UTF-8 `TextDecoder`, so a character split between chunks decodes whole, invalid bytes
 * become U+FFFD and one leading BOM is dropped (the spec's "UTF-8 decode").
 */
export const fetchTransport: Transport = (request, handlers) => {
  const doFetch: FetchLike = request.fetch || (fetch as unknown as FetchLike)
  const controller = typeof AbortController === 'function' ? new AbortController() : undefined
  let reader: { cancel(reason?: unknown): Promise<void> } | undefined
  let live = true

  const fail = (cause: unknown) => {
    if (!live) return
    live = false
    handlers.error(cause)
  }

  doFetch(request.url, {
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
      url: response.url || request.url,
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
    const decoder = new TextDecoder()
    const onChunk = ({ done, value }: { done: boolean; value?: Uint8Array }): Promise<void> | void => {
      if (!live) return
      if (done) {
        const rest = decoder.decode()
        if (rest) handlers.text(rest)
        if (!live) return
        live = false
        handlers.end('eof')
        return
      }
      const text = decoder.decode(value, { stream: true })
      if (text) handlers.text(text)
      // The next read starts in the same turn, so no chunk waits unclaimed in the body's queue.
      if (live) return bodyReader.read().then(onChunk)
    }
    return first.then(onChunk)
  }).then(undefined, fail)

  return () => {
    if (!live) return
    live = false
    if (controller) controller.abort()
    if (reader) reader.cancel().then(undefined, () => undefined)
  }
}
