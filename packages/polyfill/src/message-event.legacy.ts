/**
 * What the legacy builds (`/legacy` and the script tags) bundle in place of message-event.ts, whose
 * `class … extends Event` ES5 syntax cannot declare: the same fast event, an `Event` made by
 * `Reflect.construct(Event, [type], Fast)` so that its prototype is `Fast.prototype`, which is
 * re-parented onto `MessageEvent.prototype` with its own read-only attributes. Where the platform
 * lacks `Reflect` or `Symbol` (IE-class), install-legacy.ts keeps `nativeEvent` or its stand-ins.
 * The differences from a native event are message-event.ts's.
 */
import type { platform } from './platform.ts'

type MessageInit = { data: string; origin: string; lastEventId: string }

/** The platform's `MessageEvent` when `init` is given, else a plain `Event`. */
export const nativeEvent: typeof platform.event = (type, init) => (init ? new MessageEvent(type, init) : new Event(type))

/** Whether `fastEvent` can run here: it needs `Reflect.construct` and `Symbol` (the caller has seen `Event` construct). */
export function reflectedEvents(): boolean {
  return typeof Reflect === 'object' && typeof Reflect.construct === 'function' && typeof Symbol === 'function'
}

/**
 * Makes the constructor, once, on first use: a module-level definition would run in IE-class
 * browsers too, which have no `Symbol`.
 */
function makeEvent(): (type: string, init: MessageInit) => Event {
  // The fields are keyed by symbols, as a native event keeps its own: no own string keys on the event.
  const DATA = Symbol('data')
  const ORIGIN = Symbol('origin')
  const LAST_EVENT_ID = Symbol('lastEventId')
  // What `ports` returns for an event an EventSource fires: the spec's empty frozen array.
  const NO_PORTS: readonly MessagePort[] = Object.freeze([])
  type Fields = Event & { [DATA]: unknown; [ORIGIN]: string; [LAST_EVENT_ID]: string }

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
      return this[DATA]
    }),
    origin: attribute(function () {
      return this[ORIGIN]
    }),
    lastEventId: attribute(function () {
      return this[LAST_EVENT_ID]
    }),
    source: attribute(() => null),
    ports: attribute(() => NO_PORTS),
    // The DOM's legacy initializer: does nothing while the event is being dispatched (`eventPhase` is NONE exactly when it is not).
    initMessageEvent: method(function (this: Fields, type: string, bubbles?: boolean, cancelable?: boolean, data?: unknown, origin?: string, lastEventId?: string) {
      if (this.eventPhase !== Event.NONE) return
      this.initEvent(type, bubbles, cancelable)
      this[DATA] = data === undefined ? null : data
      this[ORIGIN] = origin === undefined ? '' : String(origin)
      this[LAST_EVENT_ID] = lastEventId === undefined ? '' : String(lastEventId)
    }),
  }))
  Object.defineProperty(prototype, Symbol.toStringTag, { value: 'MessageEvent', configurable: true })

  return (type, init) => {
    const event = Reflect.construct(Event, [type], Fast) as Fields
    event[DATA] = init.data
    event[ORIGIN] = init.origin
    event[LAST_EVENT_ID] = init.lastEventId
    return event
  }
}

let make: ((type: string, init: MessageInit) => Event) | undefined

/** `platform.event` where `reflectedEvents()`: a fast `MessageEvent` when `init` is given, else a plain `Event`. */
export const fastEvent: typeof platform.event = (type, init) => (init ? (make || (make = makeEvent()))(type, init) : new Event(type))
