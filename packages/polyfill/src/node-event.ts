/**
 * The events of the Node entry. Since Node 22, `new MessageEvent(type, init)` runs undici's WebIDL
 * dictionary conversion and costs ~1 µs, more than parsing a small event; Node's own `EventSource`
 * avoids it with an internal constructor that user code cannot reach. This class is a real `Event`
 * (constructed by `Event`, so `dispatchEvent` takes it) whose prototype chain runs through
 * `MessageEvent.prototype`: listeners see a `MessageEvent` (`instanceof`, the attributes, the
 * `toString` tag) at the cost of a plain `Event`.
 *
 * Known differences from a native one: `MessageEvent.prototype`'s own getters, called on it directly
 * (`Reflect.get(MessageEvent.prototype, 'data', event)`), throw their brand check, and its
 * `initMessageEvent` is this file's.
 */
import type { platform } from './platform.ts'

type MessageInit = { data: string; origin: string; lastEventId: string }

// What `ports` returns for an event an EventSource fires: the spec's empty frozen array.
const NO_PORTS: readonly MessagePort[] = Object.freeze([])

// The fields are keyed by symbols, not named `name_` like other private members: the build shortens
// `name_` properties with one table for every bundle, ranked by their uses across all sources, so
// names here would re-rank (and grow) the browser bundles this file never enters. Symbols are also
// what a native event keeps its fields under: no own string keys on the event.
const DATA: unique symbol = Symbol('data')
const ORIGIN: unique symbol = Symbol('origin')
const LAST_EVENT_ID: unique symbol = Symbol('lastEventId')

class NodeMessageEvent extends Event {
  private [DATA]: string
  private [ORIGIN]: string
  private [LAST_EVENT_ID]: string

  constructor(type: string, init: MessageInit) {
    super(type)
    this[DATA] = init.data
    this[ORIGIN] = init.origin
    this[LAST_EVENT_ID] = init.lastEventId
  }

  // Getters without setters, as the DOM's read-only attributes: an assignment is ignored, and throws in strict code.
  get data(): string {
    return this[DATA]
  }
  get origin(): string {
    return this[ORIGIN]
  }
  get lastEventId(): string {
    return this[LAST_EVENT_ID]
  }
  get source(): null {
    return null
  }
  get ports(): readonly MessagePort[] {
    return NO_PORTS
  }

  /** The DOM's legacy initializer: does nothing while the event is being dispatched. */
  initMessageEvent(type: string, bubbles = false, cancelable = false, data: any = null, origin = '', lastEventId = ''): void {
    // Node's `eventPhase` is NONE exactly when the event is not being dispatched.
    if (this.eventPhase !== Event.NONE) return
    this.initEvent(type, bubbles, cancelable)
    this[DATA] = data
    this[ORIGIN] = String(origin)
    this[LAST_EVENT_ID] = String(lastEventId)
  }
}

// Once, at load: `MessageEvent.prototype` joins the chain between ours and `Event.prototype`, so
// `instanceof MessageEvent` holds and what `MessageEvent.prototype` adds is inherited.
Object.setPrototypeOf(NodeMessageEvent.prototype, MessageEvent.prototype)
Object.defineProperties(NodeMessageEvent.prototype, {
  // `event.constructor` is what a listener expects it to be.
  constructor: { value: MessageEvent, writable: true, configurable: true },
  // Node 20's MessageEvent has no tag of its own (it says `[object Event]`); the DOM's says MessageEvent.
  [Symbol.toStringTag]: { value: 'MessageEvent', configurable: true },
})

/** `platform.event` for Node: a `NodeMessageEvent` when `init` is given, else a plain `Event`. */
export const nodeEvent: typeof platform.event = (type, init) => (init ? new NodeMessageEvent(type, init) : new Event(type))
