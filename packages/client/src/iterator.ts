/** What an iterator tells its client about the consumer. */
export interface IteratorHost {
  /** The consumer took an item (the buffer may have room again). */
  took(): void
  /** The consumer stopped early (`break`, `return`, a `throw` in the loop body). */
  stopped(): void
}

/**
 * The queue behind `for await (… of client)`: items wait here until the consumer asks for them.
 * Only this file uses `Promise`, and only when a consumer iterates: the callback API works without
 * it. The bound is the client's job: it stops reading when a buffer reaches its size.
 */
export class BufferedIterator<T> {
  private items: T[] = []
  private waiting: { resolve(result: IteratorResult<T, undefined>): void; reject(error: unknown): void } | undefined
  private ended = false
  private failure: { error: unknown } | undefined
  private readonly host: IteratorHost

  constructor(host: IteratorHost) {
    this.host = host
  }

  /** How many items wait for the consumer. */
  get size(): number {
    return this.items.length
  }

  /** Hands an item to a waiting consumer, or queues it. */
  push(item: T): void {
    if (this.ended) return
    const waiting = this.waiting
    if (waiting) {
      this.waiting = undefined
      waiting.resolve({ value: item, done: false })
    } else {
      this.items.push(item)
    }
  }

  /** No more items: the consumer gets what is queued, then `done` (or `error`, thrown once). */
  end(error?: { error: unknown }): void {
    if (this.ended) return
    this.ended = true
    this.failure = error
    const waiting = this.waiting
    this.waiting = undefined
    if (waiting) this.settleEnd(waiting.resolve, waiting.reject)
  }

  next(): Promise<IteratorResult<T, undefined>> {
    return new Promise((resolve, reject) => {
      if (this.items.length > 0) {
        resolve({ value: this.items.shift()!, done: false })
        this.host.took()
      } else if (this.ended) {
        this.settleEnd(resolve, reject)
      } else {
        this.waiting = { resolve, reject }
      }
    })
  }

  /** `break` in a `for await` loop: drop the queue and close the connection. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.items = []
    this.failure = undefined
    if (!this.ended) {
      this.end()
      this.host.stopped()
    }
    return Promise.resolve({ value: undefined, done: true })
  }

  private settleEnd(resolve: (result: IteratorResult<T, undefined>) => void, reject: (error: unknown) => void): void {
    const failure = this.failure
    this.failure = undefined
    if (failure) reject(failure.error)
    else resolve({ value: undefined, done: true })
  }
}
