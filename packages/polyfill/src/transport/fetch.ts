import type { FetchLike, Transport } from './types.ts'

type FetchReader = { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(reason?: unknown): Promise<void> }

const ignore = () => undefined
const STREAM = { stream: true }

/**
 * A fetch transport on `fetchFunction` (a proxy's, one that adds auth, a test's), or on the global
 * `fetch` as it is when each request starts: one `fetch` per attempt, its body read chunk by chunk
 * through a streaming UTF-8 `TextDecoder`, so a character split between chunks decodes whole,
 * invalid bytes become U+FFFD and one leading BOM is dropped (the spec's "UTF-8 decode").
 *
 * @example
 * new EventSource(url, { transport: createFetchTransport(myFetch) })
 */
export function createFetchTransport(fetchFunction?: FetchLike): Transport {
  return (request, handlers) => {
    // Where fetch cannot stream, every attempt fails with this (the legacy entry has a transport that can).
    if (typeof ReadableStream !== 'function') throw new TypeError('no streaming fetch: use @ssekit/polyfill/legacy')
    const doFetch: FetchLike = fetchFunction || (fetch as unknown as FetchLike)
    const url = request.url
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined
    let reader: FetchReader | undefined
    let text: TextDecoder | undefined
    let live = true

    const fail = (cause: unknown) => {
      if (!live) return
      live = false
      handlers.error(cause)
    }
    const finish = () => {
      if (!live) return
      live = false
      handlers.end('eof')
    }

    // One read at a time, each started by the last one's callback rather than returned from it: a
    // promise returned from a reaction chains onto the one before, and an open stream would keep
    // every read it ever made.
    const read = (result: { done: boolean; value?: Uint8Array }) => {
      if (!live) return
      try {
        if (result.done) {
          const rest = text!.decode()
          if (rest) handlers.text(rest)
          return finish()
        }
        const chunk = text!.decode(result.value!, STREAM)
        if (chunk) handlers.text(chunk)
        if (live) reader!.read().then(read, fail)
      } catch (cause) {
        fail(cause)
      }
    }

    doFetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      credentials: request.withCredentials ? 'include' : 'same-origin',
      cache: 'no-store',
      redirect: request.redirect || 'follow',
      signal: controller && controller.signal,
    }).then((response) => {
      const body = response.body
      if (!live) {
        if (body) body.getReader().cancel().then(ignore, ignore)
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
      if (!first) return finish()
      if (!live) {
        first.then(ignore, ignore)
        return
      }
      text = new TextDecoder()
      first.then(read, fail)
    }).then(undefined, fail)

    return () => {
      if (!live) return
      live = false
      if (controller) controller.abort()
      if (reader) reader.cancel().then(ignore, ignore)
    }
  }
}

/** The fetch transport on the global `fetch`: the default in browsers and workers. */
export const fetchTransport: Transport = /* @__PURE__ */ createFetchTransport()
