import { bufferedIterator, type BufferedIterator } from './iterator.ts'
import { NONE } from './listeners.ts'
import type { ServerEvent } from './types.ts'

/** The `for await` consumers of one client, as its connection sees them. */
export interface Iteration {
  /** How many consumers there are (the connection builds an event's record only for some). */
  count(): number
  /** Hands an event to every consumer; when one's buffer is full, calls `pause`. */
  push(message: ServerEvent<any>): void
  /** A new consumer; `ended` says it starts after the client closed (and why, when it gave up). */
  iterate(ended: false | { error: unknown } | undefined): AsyncIterableIterator<ServerEvent<any>>
  /** The client closed: each consumer gets what is queued, then `done` (or `error`, thrown once). */
  end(error: { error: unknown } | undefined): void
  /** Whether a full buffer holds the client paused. */
  full(): boolean
}

/**
 * The client's async iterators and their bound: when one holds `bufferSize` events the client
 * stops reading (`pause`); once every consumer has taken its buffer down to half, `resume`.
 * Leaving a loop early (`break`) calls `close`. Made by the first `for await`: most clients never iterate.
 */
export function createIteration(bufferSize: number, pause: () => void, resume: () => void, close: () => void): Iteration {
  // Replaced, never edited: a dispatch walks the consumers as they were.
  let buffers: BufferedIterator<ServerEvent<any>>[] = NONE
  let full = false
  // A consumer took an event: read again once every buffer is at most half full.
  const took = (): void => {
    if (!full || buffers.some((other) => other.size() > bufferSize / 2)) return
    full = false
    resume()
  }
  return {
    count: () => buffers.length,
    push(message) {
      buffers.forEach((buffer) => buffer.push(message))
      if (!full && buffers.some((buffer) => buffer.size() >= bufferSize)) {
        full = true
        pause()
      }
    },
    iterate(ended) {
      const buffer = bufferedIterator<ServerEvent<any>>(took, close)
      // A loop started after the give-up still learns why: it throws, as it would had it started earlier.
      if (ended !== false) buffer.end(ended)
      else buffers = buffers.concat([buffer])
      return buffer.iterator
    },
    end(error) {
      const ended = buffers
      buffers = NONE
      ended.forEach((buffer) => buffer.end(error))
    },
    full: () => full,
  }
}
