/**
 * The events of the modern entries (browsers, workers, Node). `new MessageEvent(type, init)` converts
 * its init dictionary on every call: ~0.6-0.75 µs in Node 22/24 (undici's WebIDL), ~2 µs in Chromium,
 * more than parsing a small event; the platforms' own `EventSource`s avoid it with internal
 * constructors that user code cannot reach. This class is a real `Event` (constructed by `Event`, so
 * `dispatchEvent` takes it) whose prototype chain runs through `MessageEvent.prototype`: listeners
 * see a `MessageEvent` (`instanceof`, the attributes, the `toString` tag) at the cost of a plain
 * `Event`. The legacy entry keeps it where the platform has `Reflect` and `Symbol`, else the
 * platform's `MessageEvent` (or its stand-in); the script-tag bundles take message-event.es5.ts, the
 * same event for ES5 syntax.
 *
 * Known differences from a native one: `MessageEvent.prototype`'s own getters, called on it directly
 * (`Reflect.get(MessageEvent.prototype, 'data', event)`), throw their brand check, and its
 * `initMessageEvent` is this file's.
 */
import type { platform } from './platform.ts'

type MessageInit = { data: string; origin: string; lastEventId: string }
type FastMessageEventClass = new (type: string, init: MessageInit) => Event

/**
 * Makes the class, once, on first use rather than at load: its definition and re-parenting would be
 * module-level side effects (kept in every bundle), and an ES5 engine, which has no `Symbol`, must
 * never run it (the legacy entry replaces `platform.event` there before any event).
 */
function makeClass(): FastMessageEventClass {
  // The init dictionary is kept under a symbol, as a native event keeps its fields: no own string
  // keys on the event. It is ours (a fresh object per event), so nothing else can change it.
  const INIT: unique symbol = Symbol('init')
  // What `ports` returns for an event an EventSource fires: the spec's empty frozen array.
  const NO_PORTS: readonly MessagePort[] = Object.freeze([])

  class FastMessageEvent extends Event {
    private [INIT]: MessageInit

    constructor(type: string, init: MessageInit) {
      super(type)
      this[INIT] = init
    }

    // Getters without setters, as the DOM's read-only attributes: an assignment is ignored, and throws in strict code.
    get data(): string {
      return this[INIT].data
    }
    get origin(): string {
      return this[INIT].origin
    }
    get lastEventId(): string {
      return this[INIT].lastEventId
    }
    get source(): null {
      return null
    }
    get ports(): readonly MessagePort[] {
      return NO_PORTS
    }

    /** The DOM's legacy initializer: does nothing while the event is being dispatched. */
    initMessageEvent(type: string, bubbles = false, cancelable = false, data: any = null, origin = '', lastEventId = ''): void {
      // `eventPhase` is NONE exactly when the event is not being dispatched.
      if (this.eventPhase !== Event.NONE) return
      this.initEvent(type, bubbles, cancelable)
      this[INIT] = { data, origin: String(origin), lastEventId: String(lastEventId) }
    }
  }

  // `MessageEvent.prototype` joins the chain between ours and `Event.prototype`, so `instanceof
  // MessageEvent` holds and what `MessageEvent.prototype` adds is inherited.
  Object.setPrototypeOf(FastMessageEvent.prototype, MessageEvent.prototype)
  Object.defineProperties(FastMessageEvent.prototype, {
    // `event.constructor` is what a listener expects it to be.
    constructor: { value: MessageEvent, writable: true, configurable: true },
    // Node 20's MessageEvent has no tag of its own (it says `[object Event]`); the DOM's says MessageEvent.
    [Symbol.toStringTag]: { value: 'MessageEvent', configurable: true },
  })
  return FastMessageEvent
}

let FastMessageEvent: FastMessageEventClass | undefined

/** `platform.event` of the modern entries: a fast `MessageEvent` when `init` is given, else a plain `Event`. */
export const fastEvent: typeof platform.event = (type, init) => (init ? new (FastMessageEvent || (FastMessageEvent = makeClass()))(type, init) : new Event(type))
