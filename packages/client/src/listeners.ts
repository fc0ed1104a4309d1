interface Registration<H> {
  handler: H
  once: boolean
  removed: boolean
}

/**
 * The listeners of one event type. The array is copied on every change, never edited in place, so
 * a dispatch walks the list as it was when the event arrived: removing a listener (itself or
 * another) during dispatch never skips anyone, a removed one is not called afterwards, and one
 * added during dispatch waits for the next event.
 */
export class ListenerList<H> {
  private items: Registration<H>[] = []

  /** Adds `handler`; the returned function removes exactly this registration. */
  add(handler: H, once: boolean): () => void {
    const registration: Registration<H> = { handler, once, removed: false }
    this.items = this.items.concat([registration])
    return () => this.drop(registration)
  }

  /** Removes every registration of `handler`, or all of them when `handler` is not given. */
  remove(handler?: H): void {
    const items = this.items
    for (let i = 0; i < items.length; i++) {
      if (handler === undefined || items[i]!.handler === handler) this.drop(items[i]!)
    }
  }

  /** How many listeners are registered. */
  get size(): number {
    return this.items.length
  }

  /**
   * Calls each listener with `data` and `event`, with no closure per event (this is every event's
   * path); what one throws goes to `onThrow` with the event, and the others still run.
   */
  emit<D, E>(this: ListenerList<(data: D, event: E) => void>, data: D, event: E, onThrow: (error: unknown, event: E) => void): void {
    const items = this.items
    for (let i = 0; i < items.length; i++) {
      const registration = items[i]!
      if (registration.removed) continue
      if (registration.once) this.drop(registration)
      // Called bare: `this` in the listener is undefined, not the registration.
      const handler = registration.handler
      try {
        handler(data, event)
      } catch (error) {
        onThrow(error, event)
      }
    }
  }

  private drop(registration: Registration<H>): void {
    if (registration.removed) return
    registration.removed = true
    const kept: Registration<H>[] = []
    for (let i = 0; i < this.items.length; i++) if (this.items[i] !== registration) kept.push(this.items[i]!)
    this.items = kept
  }
}
