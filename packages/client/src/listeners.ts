interface Registration<H> {
  fn: H
  once: boolean
  gone?: boolean
}

/**
 * The empty array that every list (and the client's other copy-on-change arrays) starts with: it is
 * never edited, so an idle client holds no empty array of its own per list.
 */
export const NONE: never[] = []

/**
 * The listeners of one event type. The array is copied on every change, never edited in place, so
 * a dispatch walks the list as it was when the event arrived: removing a listener (itself or
 * another) during dispatch never skips anyone, a removed one is not called afterwards, and one
 * added during dispatch waits for the next event.
 */
export class ListenerList<H> {
  /** The registrations in order: replaced on every change, so read it, never edit it. */
  items: Registration<H>[] = NONE

  /** Adds `fn`; the returned function removes exactly this registration. */
  add(fn: H, once: boolean): () => void {
    const registration: Registration<H> = { fn, once, gone: false }
    this.items = this.items.concat([registration])
    return () => this.drop(registration)
  }

  /** Removes every registration of `fn`, or all of them when `fn` is not given. */
  remove(fn?: H): void {
    this.items.forEach((registration) => {
      if (fn === undefined || registration.fn === fn) this.drop(registration)
    })
  }

  /**
   * Calls each listener with `data` and `event`, with no closure per event (this is every event's
   * path); what one throws goes to `onThrow` with the event, and the others still run.
   */
  emit<D, E>(this: ListenerList<(data: D, event: E) => void>, data: D, event: E, onThrow: (error: unknown, event: E) => void): void {
    const items = this.items
    for (let i = 0; i < items.length; i++) {
      const registration = items[i]!
      if (registration.gone) continue
      if (registration.once) this.drop(registration)
      // Called bare: `this` in the listener is undefined, not the registration.
      const fn = registration.fn
      try {
        fn(data, event)
      } catch (error) {
        onThrow(error, event)
      }
    }
  }

  private drop(registration: Registration<H>): void {
    if (registration.gone) return
    registration.gone = true
    this.items = this.items.filter((other) => other !== registration)
  }
}
