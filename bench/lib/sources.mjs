// How a row reads a stream with fetch, drives an EventSource or the client, and reads what it saw: the count, checksum and last
// id of the workload's events. No Node API: the Chromium section's page runs these too.
import { mix, SEED } from './checksum.mjs'

/** fetch + streaming TextDecoder: calls `onText` with each decoded chunk, resolves at end of body. */
export async function readText(url, onText) {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, cache: 'no-store' })
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const text = decoder.decode(value, { stream: true })
    if (text) onText(text)
  }
  const rest = decoder.decode()
  if (rest) onText(rest)
}

/**
 * Any `EventSource`: one listener for the workload's event type; the end of the stream (the
 * reconnect `error` every spec-following source fires) stops the clock and closes the source.
 */
export function eventSource(EventSource, { url, type }, init) {
  return new Promise((resolve) => {
    let count = 0
    let checksum = SEED
    let last = null
    const source = new EventSource(url, init)
    source.addEventListener(type, (event) => {
      count++
      checksum = mix(checksum, event.data)
      last = event
    })
    source.addEventListener('error', () => {
      source.close()
      resolve({ count, checksum, lastId: last ? last.lastEventId : '' })
    })
  })
}

/**
 * `@ssekit/client`'s `connect` with `options` (its backend, `decode`). The handler checksums the raw
 * event's data and counts events whose decoded value is missing (so a `decode: 'json'` row really
 * decodes); the first reconnection (the stream ended) stops the clock, and the hook's `false` stops
 * the client.
 */
export function clientRun(connect, { url, type }, options) {
  return new Promise((resolve, reject) => {
    let count = 0
    let checksum = SEED
    let last = null
    let undecoded = 0
    const stream = connect(url, {
      ...options,
      onReconnecting() {
        stream.close()
        if (undecoded) reject(new Error(`${undecoded} events had no decoded data`))
        else resolve({ count, checksum, lastId: last ? last.lastEventId : '' })
        return false
      },
      onError: ({ error }) => reject(error),
    })
    stream.on(type, (data, event) => {
      count++
      if (data === undefined) undecoded++
      checksum = mix(checksum, event.data)
      last = event
    })
  })
}
