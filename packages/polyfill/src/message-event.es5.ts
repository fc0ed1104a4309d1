/**
 * What the script-tag bundles take for message-event.ts, whose `class … extends Event` ES5 syntax
 * cannot declare: the same fast event, an `Event` made by `Reflect.construct(Event, [type], Fast)`
 * so that its prototype is `Fast.prototype`, which sits on `MessageEvent.prototype` with its own
 * read-only attributes. Where the platform lacks `Reflect` or `Symbol`, install-legacy.ts replaces
 * it. Not for the `/legacy` build (ES2018), which keeps the class: in Node 20, `Reflect.construct`
 * with a plain function as `newTarget` costs ~25× a class's `super()`. The differences from a native
 * event are message-event.ts's.
 */
import type { platform } from './platform.ts'

type MessageInit = { data: string; origin: string; lastEventId: string }

/**
 * Makes the constructor, once, on first use: a module-level definition would run in IE-class
 * browsers too, which have no `Symbol`.
 */
function makeEvent(): (type: string, init: MessageInit) => Event {
  // The init dictionary is kept under a symbol, as message-event.ts keeps it: no own string keys on the event.
  const INIT = Symbol('init')
  // What `ports` returns for an event an EventSource fires: the spec's empty frozen array.
  const NO_PORTS: readonly MessagePort[] = Object.freeze([])
  type Fields = Event & { [INIT]: { data: unknown; origin: string; lastEventId: string } }

  // Never called: it only lends its prototype to the events `Reflect.construct` makes.
  function Fast(): void {}
  // Getters without setters, as the DOM's read-only attributes: an assignment is ignored, and throws in strict code.
  const attribute = (get: (this: Fields) => unknown): PropertyDescriptor => ({ get, enumerable: true, configurable: true })
  const method = (value: unknown): PropertyDescriptor => ({ value, writable: true, enumerable: true, configurable: true })
  // `MessageEvent.prototype` joins the chain between ours and `Event.prototype`, so `instanceof
  // MessageEvent` holds and what `MessageEvent.prototype` adds is inherited.
  const prototype = (Fast.prototype = Object.create(MessageEvent.prototype, {
    // `event.constructor` is what a listener expects it to be.
    constructor: { value: MessageEvent, writable: true, configurable: true },
    data: attribute(function () {
      return this[INIT].data
    }),
    origin: attribute(function () {
      return this[INIT].origin
    }),
    lastEventId: attribute(function () {
      return this[INIT].lastEventId
    }),
    source: attribute(() => null),
    ports: attribute(() => NO_PORTS),
    // The DOM's legacy initializer: does nothing while the event is being dispatched (`eventPhase` is NONE exactly when it is not).
    initMessageEvent: method(function (this: Fields, type: string, bubbles?: boolean, cancelable?: boolean, data?: unknown, origin?: string, lastEventId?: string) {
      if (this.eventPhase !== Event.NONE) return
      this.initEvent(type, bubbles, cancelable)
      this[INIT] = {
        data: data === undefined ? null : data,
        origin: origin === undefined ? '' : String(origin),
        lastEventId: lastEventId === undefined ? '' : String(lastEventId),
      }
    }),
  }))
  Object.defineProperty(prototype, Symbol.toStringTag, { value: 'MessageEvent', configurable: true })

  return (type, init) => {
    const event = Reflect.construct(Event, [type], Fast) as Fields
    // Ours, a fresh object per event (event-source.ts): nothing else can change it.
    event[INIT] = init
    return event
  }
}

let make: ((type: string, init: MessageInit) => Event) | undefined

/** `platform.event` where `reflectedEvents()`: a fast `MessageEvent` when `init` is given, else a plain `Event`. */
export const fastEvent: typeof platform.event = (type, init) => (init ? (make || (make = makeEvent()))(type, init) : new Event(type))
