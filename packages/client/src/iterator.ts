/** One `for await` consumer's queue, as the client sees it. */
export interface BufferedIterator<T> {
  /** What the consumer gets: an `AsyncIterableIterator` (only where the platform has `Symbol.asyncIterator`). */
  iterator: AsyncIterableIterator<T>
  /** Hands an item to a waiting consumer, or queues it. */
  push(item: T): void
  /** No more items: the consumer gets what is queued, then `done` (or `error`, thrown once). */
  end(error?: { error: unknown }): void
  /** How many items wait for the consumer. */
  size(): number
}

type Waiting<T> = { resolve(result: IteratorResult<T, undefined>): void; reject(error: unknown): void }

/**
 * The queue behind `for await (… of client)`: items wait here until the consumer asks for them.
 * Only this file uses `Promise`, and only when a consumer iterates: the callback API works without
 * it. The bound is the client's job: it stops reading when a buffer reaches its size. `took` is
 * called when the consumer took an item, `stopped` when it left early (`break`, `return`, a throw).
 */
export function bufferedIterator<T>(took: () => void, stopped: () => void): BufferedIterator<T> {
  let items: T[] = []
  // The calls of next() not yet answered, oldest first: a consumer may call again before the last settled.
  let waiting: Waiting<T>[] = []
  let ended = false
  let failure: { error: unknown } | undefined
  const settleEnd = (consumer: Waiting<T>) => {
    const last = failure
    failure = undefined
    if (last) consumer.reject(last.error)
    else consumer.resolve({ value: undefined, done: true })
  }
  const end = (error?: { error: unknown }) => {
    if (ended) return
    ended = true
    failure = error
    const consumers = waiting
    waiting = []
    consumers.forEach(settleEnd)
  }
  const iterator = {
    next: () =>
      new Promise<IteratorResult<T, undefined>>((resolve, reject) => {
        const consumer = { resolve, reject }
        if (items.length > 0) {
          resolve({ value: items.shift()!, done: false })
          took()
        } else if (ended) settleEnd(consumer)
        else waiting.push(consumer)
      }),
    // `break` in a `for await` loop: drop the queue and close the connection.
    return: () => {
      items = []
      if (!ended) {
        end()
        stopped()
      }
      failure = undefined
      return Promise.resolve({ value: undefined, done: true as const })
    },
  } as AsyncIterableIterator<T>
  iterator[Symbol.asyncIterator] = () => iterator
  return {
    iterator,
    push(item) {
      if (ended) return
      const consumer = waiting.shift()
      if (consumer) consumer.resolve({ value: item, done: false })
      else items.push(item)
    },
    end,
    size: () => items.length,
  }
}
