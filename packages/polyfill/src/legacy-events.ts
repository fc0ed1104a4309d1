/** A listener as `addEventListener` takes it: a function or an object with `handleEvent`. */
export type Listener = ((event: any) => unknown) | { handleEvent(event: any): unknown }

interface Registration {
  listener: Listener
  capture: boolean
  once: boolean
  removed: boolean
}

function captureOf(options: boolean | { capture?: boolean } | undefined): boolean {
  return typeof options === 'boolean' ? options : !!(options && options.capture)
}

/**
 * An `EventTarget` for platforms that cannot construct one (IE10/11, old Safari). It keeps the DOM's
 * rules that matter for a single target: one registration per listener and capture flag, `once`,
 * `handleEvent` objects, and a listener removed during dispatch is not called afterwards.
 */
export class ShimEventTarget {
  private registrations_: { [type: string]: Registration[] | undefined } = Object.create(null)

  addEventListener(type: string, listener: Listener | null, options?: boolean | { capture?: boolean; once?: boolean }): void {
    if (!listener) return
    const capture = captureOf(options)
    const list = this.registrations_[type] || (this.registrations_[type] = [])
    for (let i = 0; i < list.length; i++) if (list[i]!.listener === listener && list[i]!.capture === capture) return
    list.push({ listener, capture, once: typeof options === 'object' && !!(options && options.once), removed: false })
  }

  removeEventListener(type: string, listener: Listener | null, options?: boolean | { capture?: boolean }): void {
    const list = this.registrations_[type]
    if (!list || !listener) return
    const capture = captureOf(options)
    for (let i = 0; i < list.length; i++) {
      const registration = list[i]!
      if (registration.listener === listener && registration.capture === capture) {
        registration.removed = true
        list.splice(i, 1)
        return
      }
    }
  }

  dispatchEvent(event: ShimEvent): boolean {
    const list = this.registrations_[event.type]
    event.target = event.currentTarget = event.srcElement = this
    if (!list) return true
    // Listeners added during dispatch wait for the next event; removed ones are skipped (DOM "inner invoke").
    const snapshot = list.slice()
    for (let i = 0; i < snapshot.length && !event.stoppedImmediately; i++) {
      const registration = snapshot[i]!
      if (registration.removed) continue
      if (registration.once) this.removeEventListener(event.type, registration.listener, registration.capture)
      const listener = registration.listener
      try {
        if (typeof listener === 'function') listener.call(this, event)
        else listener.handleEvent(event)
      } catch (error) {
        reportError(error)
      }
    }
    return !event.defaultPrevented
  }
}

/** Like the DOM, an exception in one listener is reported and does not stop the others. */
function reportError(error: unknown): void {
  setTimeout(() => {
    throw error
  }, 0)
}

/**
 * A faithful stand-in for `Event`/`MessageEvent` where the platform cannot construct them. Its
 * fields are those of a `MessageEvent` dispatched by an `EventSource`: not bubbling, not cancelable,
 * at the target.
 */
export class ShimEvent {
  readonly type: string
  readonly data: unknown
  readonly origin: string
  readonly lastEventId: string
  readonly ports: never[] = []
  readonly source = null
  readonly bubbles = false
  readonly cancelable = false
  readonly composed = false
  readonly defaultPrevented = false
  readonly isTrusted = false
  readonly eventPhase = 2
  readonly timeStamp = new Date().getTime()
  target: unknown = null
  currentTarget: unknown = null
  srcElement: unknown = null
  stoppedImmediately = false

  constructor(type: string, init?: { data?: unknown; origin?: string; lastEventId?: string }) {
    this.type = type
    this.data = init && init.data
    this.origin = (init && init.origin) || ''
    this.lastEventId = (init && init.lastEventId) || ''
  }

  stopPropagation(): void {}
  stopImmediatePropagation(): void {
    this.stoppedImmediately = true
  }
  preventDefault(): void {}
}

/** Whether this platform can construct `EventTarget` and `MessageEvent` (all but IE-class browsers and Safari < 14). */
export function constructibleEvents(): boolean {
  try {
    new EventTarget()
    new MessageEvent('message', { data: '' })
    return true
  } catch {
    return false
  }
}

/** Whether this platform can make the fast events (message-event.ts, message-event.es5.ts): they need `Reflect.construct` and `Symbol`. */
export function reflectedEvents(): boolean {
  return typeof Reflect === 'object' && typeof Reflect.construct === 'function' && typeof Symbol === 'function'
}

/** The platform's `MessageEvent` when `init` is given, else a plain `Event`. */
export const nativeEvent = (type: string, init?: { data: string; origin: string; lastEventId: string }): Event =>
  init ? new MessageEvent(type, init) : new Event(type)
