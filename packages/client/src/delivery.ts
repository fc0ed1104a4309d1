import { createDecoder, isThenable, type Decoded, type SchemaMap } from './decode.ts'
import { ListenerError } from './errors.ts'
import type { Hooks } from './hooks.ts'
import type { Iteration } from './iteration.ts'
import { ListenerList, NONE } from './listeners.ts'
import type { Options } from './options.ts'
import type { Listener, ServerEvent, SSEMessageEvent } from './types.ts'

/** An event waiting for an async schema, or behind one: delivery keeps the order of arrival. */
interface PendingEvent {
  list: ListenerList<Listener<any>>
  type: string
  id: string
  event: SSEMessageEvent
  outcome: Decoded | undefined
}

// Called as `(message, event)` by ListenerList.emit; onAny() wraps the user's one-argument listener.
type AnyListener = (message: ServerEvent<any>, event: SSEMessageEvent) => void

/** The listeners of one client and the way from an event's text to them. */
export interface Delivery {
  /** Every type the backend is asked for, in order: `open` and `error` (also server event names), then the rest. */
  readonly types: string[]
  /** Asks for `type` events (a no-op for one already asked for); calls `onType` with a new one. */
  listen(type: string): void
  /** The listeners of `type`, where it is asked for: the source's listener keeps it, so an event needs no lookup. */
  list(type: string): ListenerList<Listener<any>> | undefined
  /** `on()` and `once()`. */
  add(type: string, listener: Listener<any>, once: boolean): () => void
  off(type: string, listener: Listener<any> | undefined): void
  onAny(listener: (message: ServerEvent<any>) => void): () => void
  /** Decodes one `type` event (`list` its listeners) of the open source, and hands it out in order. */
  receive(list: ListenerList<Listener<any>>, type: string, event: SSEMessageEvent): void
  /** Drops what waits for an async schema: the client closed. */
  clear(): void
}

function mustBeFunction(method: string, listener: unknown): void {
  if (typeof listener !== 'function') throw new TypeError(`ssekit ${method}(): the listener must be a function`)
}

/**
 * Listeners by type, `onAny`, the decoder and the queue behind async schemas. Events go to the
 * listeners of their type, then `onAny` and the iterators (`iteration()`, where there are some);
 * nothing is delivered once `closed()`. `idOf` tells an event's last event id as the client knows it
 * when it arrives (read only for `onAny` and the iterators, and for events that wait).
 */
export function createDelivery(
  o: Options,
  hooks: Hooks,
  closed: () => boolean,
  onType: (type: string) => void,
  iteration: () => Iteration | undefined,
  idOf: (event: SSEMessageEvent) => string,
): Delivery {
  const decoder = createDecoder(o.decode, o.schemas as SchemaMap | undefined)
  // Every type asked for has a list (empty until `on()`), so one lookup tells both; server event
  // names are plain keys of a prototype-less object.
  const listeners: { [type: string]: ListenerList<Listener<any>> | undefined } = Object.create(null)
  // Made by the first onAny().
  let anyListeners: ListenerList<AnyListener> | undefined
  // Replaced, never edited, while empty (it is only pushed to once it is its own array), so an idle client shares NONE.
  let pending: PendingEvent[] = NONE
  const types = ['open', 'error']

  // One function for every event, not a closure per event: a listener's throw is rare.
  const listenerThrew = (error: unknown, event: SSEMessageEvent): void => hooks.report(new ListenerError(event.type, error), event)

  const settle = (list: ListenerList<Listener<any>>, type: string, id: string | undefined, event: SSEMessageEvent, outcome: Decoded): void => {
    if (closed()) return
    if (outcome.error) hooks.report(outcome.error, event)
    else deliver(list, type, id, event, outcome.value)
  }

  /**
   * Hands one event's data to its listeners, then to `onAny` and the iterators (their record only
   * when there are some). `id` is given for an event that waited; the caller saw the client open.
   */
  const deliver = (list: ListenerList<Listener<any>>, type: string, id: string | undefined, event: SSEMessageEvent, data: unknown): void => {
    list.emit(data, event, listenerThrew)
    if (anyListeners || iteration()) fanOut(type, id === undefined ? idOf(event) : id, event, data)
  }

  // Apart from deliver(), so that the path every event takes stays small enough for the JIT to inline
  // down to the listener: with this in it, the client cost ~40 ns more per event (bench/in-process.mjs).
  const fanOut = (type: string, id: string, event: SSEMessageEvent, data: unknown): void => {
    const iterators = iteration()
    // A listener may have closed the client.
    if (closed() || (!(anyListeners && anyListeners.items.length) && !(iterators && iterators.count()))) return
    const message = { type, data, id, event }
    if (anyListeners) anyListeners.emit(message, event, listenerThrew)
    if (!closed() && iterators) iterators.push(message)
  }

  return {
    types,
    listen(type) {
      if (listeners[type]) return
      listeners[type] = new ListenerList()
      if (type === 'open' || type === 'error') return
      types.push(type)
      onType(type)
    },
    list: (type) => listeners[type],
    add(type, listener, once) {
      mustBeFunction(once ? 'once' : 'on', listener)
      const name = String(type)
      this.listen(name)
      return listeners[name]!.add(listener, once)
    },
    off(type, listener) {
      const list = listeners[String(type)]
      if (list) list.remove(listener)
    },
    onAny(listener) {
      mustBeFunction('onAny', listener)
      return (anyListeners || (anyListeners = new ListenerList())).add((message) => listener(message), false)
    },
    receive(list, type, event) {
      // No decoder, no async schema, so nothing can be pending: the text goes straight out.
      if (!decoder) return deliver(list, type, undefined, event, event.data)
      const outcome = decoder(type, event)
      const later = isThenable(outcome)
      if (!later && pending.length === 0) return settle(list, type, undefined, event, outcome)
      const entry: PendingEvent = { list, type, id: idOf(event), event, outcome: later ? undefined : outcome }
      if (pending === NONE) pending = []
      const queue = pending
      queue.push(entry)
      if (later) {
        outcome.then((result) => {
          // clear() starts a new queue: what the old one still waits for is dropped.
          if (queue !== pending) return
          entry.outcome = result
          while (queue === pending && queue.length > 0 && queue[0]!.outcome) {
            const first = queue.shift()!
            settle(first.list, first.type, first.id, first.event, first.outcome!)
          }
        })
      }
    },
    clear: () => {
      pending = NONE
    },
  }
}
