// Playing a workload's text to an EventSource in one process, with no network: the chunks, a
// transport that hands them over, and a consumer that checks what arrived. Used by the in-process
// benchmarks (in-process.mjs, event-cost.mjs).
import { mix, SEED } from './checksum.mjs'

/** The URL the played sources are given (nothing is ever requested from it). */
export const URL_ = 'http://127.0.0.1:9/w'
const RESPONSE = { status: 200, statusText: 'OK', contentType: 'text/event-stream', url: URL_, headers: { get: () => null } }
const CHUNK = 65536

/** A workload's text cut into the 64 KiB chunks a transport hands over. */
export function chunksOf(text) {
  const chunks = []
  for (let at = 0; at < text.length; at += CHUNK) chunks.push(text.slice(at, at + CHUNK))
  return chunks
}

/** Counts and checksums events' data and keeps the last event, as the floor's consumer does. */
export function consumer() {
  const seen = { count: 0, checksum: SEED, last: null }
  return {
    add(data, event) {
      seen.count++
      seen.checksum = mix(seen.checksum, data)
      seen.last = event
    },
    result: () => seen,
  }
}

/** A new `EventSource` (the class given) played every chunk: what it dispatched of `type`, counted and checksummed. */
export function playToSource(EventSource, chunks, type) {
  const { transport, play } = played(chunks)
  const seen = consumer()
  const source = new EventSource(URL_, { transport })
  source.addEventListener(type, (event) => seen.add(event.data, event))
  play()
  source.close()
  return seen.result()
}

/** A transport that starts nothing; `play()` hands the source the response and every chunk. */
export function played(chunks) {
  let handlers
  return {
    transport: (_request, given) => {
      handlers = given
      return () => undefined
    },
    play: () => {
      handlers.response(RESPONSE)
      for (const chunk of chunks) handlers.text(chunk)
    },
  }
}
