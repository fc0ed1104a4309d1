import { createSource, describeDisconnect, type Backend, type EventSourceLike } from './backend.ts'
import { createDecoder, isThenable, type Decoded, type SchemaMap } from './decode.ts'
import { canWatch, isHidden, isOffline, watchEnvironment } from './environment.ts'
import { ConnectionError, ListenerError, type DecodeError } from './errors.ts'
import { bufferedIterator, type BufferedIterator } from './iterator.ts'
import { ListenerList, NONE } from './listeners.ts'
import type { GiveUpInfo, Options } from './options.ts'
import { nextAttempt, planReconnect, type DisconnectCause, type ReconnectDecision } from './reconnect.ts'
import type { ClientStatus, Listener, ServerEvent } from './types.ts'

declare const reportError: ((error: unknown) => void) | undefined

/** An event waiting for an async schema, or behind one: delivery keeps the order of arrival. */
interface PendingEvent {
  type: string
  id: string
  event: MessageEvent<string>
  outcome: Decoded | undefined
}

// Called as `(message, event)` by ListenerList.emit; onAny() wraps the user's one-argument listener.
type AnyListener = (message: ServerEvent<any>, event: MessageEvent<string>) => void

type Hook = 'onOpen' | 'onReconnecting' | 'onGiveUp' | 'onError' | 'onClose'

/** What an `SSEClient` asks of its connection. */
export interface Connection {
  status(): ClientStatus
  lastEventId(): string
  /** `on()` and `once()`. */
  add(type: string, listener: Listener<any>, once: boolean): () => void
  off(type: string, listener: Listener<any> | undefined): void
  onAny(listener: (message: ServerEvent<any>) => void): () => void
  close(): void
  iterate(): AsyncIterableIterator<ServerEvent<any>>
}

/** The last resort for an error with no `onError` to go to: the platform's, never silence. */
function reportUnhandled(error: unknown): void {
  if (typeof reportError === 'function') reportError(error)
  else if (typeof console !== 'undefined' && console.error) console.error(error)
}

function mustBeFunction(method: string, listener: unknown): void {
  if (typeof listener !== 'function') throw new TypeError(`ssekit ${method}(): the listener must be a function`)
}

/**
 * The state machine behind an `SSEClient`: it re-creates the `EventSource` after every loss, under
 * the reconnection policy, resuming from the last event id. Its state lives in this closure because
 * a minifier shortens local names but never `this.` fields. It throws what the first attempt
 * throws (a URL that does not parse, say), closed.
 */
export function createConnection(url: string, o: Options, backend: Backend): Connection {
  const decoder = createDecoder(o.decode, o.schemas as SchemaMap | undefined)
  const bufferSize = o.bufferSize || 256
  // Every type the backend is asked for has a list (empty until `on()`), so one lookup tells both;
  // server event names are plain keys of a prototype-less object.
  const listeners: { [type: string]: ListenerList<Listener<any>> | undefined } = Object.create(null)
  // Made by the first onAny().
  let anyListeners: ListenerList<AnyListener> | undefined
  // What each source is asked for: `open` and `error` (also the names of server events), then the rest.
  const types = ['open', 'error']
  // What close() undoes besides the source, each only where there is one: the abort listener, the browser signals.
  let abort: (() => void) | undefined
  let unwatch: (() => void) | undefined
  let status: ClientStatus = 'connecting'
  let lastId = o.lastEventId || ''
  let attempt = 0
  let source: EventSourceLike | undefined
  // The current source's listener of each type (in the order of `types`), to remove them when it is dropped.
  let sourceListeners: Array<(event: Event) => void> = NONE
  let openedAt: number | undefined
  let everOpened = false
  let serverRetry: number | undefined
  // Set only while waiting to reconnect.
  let timer: ReturnType<typeof setTimeout> | undefined
  // Set when the client gives up: from then on that is why it closes, even when onGiveUp calls close().
  let givenUp: ConnectionError | undefined
  // Why the client does not read: the network, a hidden page, a full iterator buffer.
  let offline = isOffline()
  let hidden = !!o.pauseWhenHidden && isHidden()
  let full = false
  // Both are replaced, never edited, while empty (pending is only pushed to once it is its own array),
  // so an idle client shares NONE.
  let pending: PendingEvent[] = NONE
  let iterators: BufferedIterator<ServerEvent<any>>[] = NONE
  const closed = () => status === 'closed'

  // A hook that throws is reported as a ListenerError; `onError` that throws, to the platform.
  const call = (name: Hook, info: object): unknown => {
    const hook = o[name] as ((info: object) => unknown) | undefined
    try {
      return hook && hook(info)
    } catch (error) {
      if (name === 'onError') reportUnhandled(error)
      else report(new ListenerError(name, error), undefined)
    }
  }

  const report = (error: DecodeError | ListenerError, event: MessageEvent<string> | undefined): unknown =>
    o.onError ? call('onError', { error, event }) : reportUnhandled(error)

  // One function for every event, not a closure per event: a listener's throw is rare.
  const listenerThrew = (error: unknown, event: MessageEvent<string>): unknown => report(new ListenerError(event.type, error), event)

  /** Asks the current and every later source for `type` events. */
  const listen = (type: string): void => {
    if (listeners[type]) return
    listeners[type] = new ListenerList()
    if (type === 'open' || type === 'error') return
    types.push(type)
    if (source) sourceListeners.push(listenTo(source, type))
  }

  /**
   * Gives `created` its listener for `type`: one that knows its type and list, so an event needs no
   * lookup; `open` and `error` (the first two types) share the source's `control` listener.
   */
  const listenTo = (created: EventSourceLike, type: string, control?: (event: Event) => void): ((event: Event) => void) => {
    const list = listeners[type]!
    const listener =
      control ||
      ((event: Event) => {
        if (created === source) receive(type, list, event as MessageEvent<string>)
      })
    created.addEventListener(type, listener)
    return listener
  }

  /** Starts one attempt, unless something holds the client paused. */
  const open = (): void => {
    timer = undefined
    if (offline || hidden || full) {
      status = 'paused'
      return
    }
    status = everOpened || attempt > 0 ? 'reconnecting' : 'connecting'
    const created = createSource(backend, o, url, attempt, lastId)
    // A per-attempt function (headers, requestUrl) may have closed the client: the new source must not outlive it.
    if (closed()) return created.close()
    source = created
    // One listener for `open` and `error`, which tells them apart by the event's type.
    const control = (event: Event): void => {
      if (created !== source) return
      const type = event.type
      // The server may name an event `open` or `error`: those come as MessageEvents with string data.
      if (typeof (event as MessageEvent).data === 'string') {
        // Its list may have been made after this source was.
        if (listeners[type]) receive(type, listeners[type]!, event as MessageEvent<string>)
      } else if (type === 'open') {
        status = 'open'
        openedAt = Date.now()
        everOpened = true
        call('onOpen', { attempt, lastEventId: lastId })
      } else {
        // Lost.
        const now = Date.now()
        const described = describeDisconnect(event, created.readyState, now)
        if (described.serverRetry !== undefined) serverRetry = described.serverRetry
        const uptime = openedAt === undefined ? -1 : now - openedAt
        // Closing in the error listener is what stops the backend's own reconnection: the policy alone decides.
        dropSource()
        recover(described.cause, uptime)
      }
    }
    // Made by map(), not push(): an array of just the right length.
    sourceListeners = types.map((type, i) => listenTo(created, type, i < 2 ? control : undefined))
  }

  /** An attempt that fails before it starts (a per-attempt function threw) counts as a lost connection. */
  const openOrRecover = (): void => {
    try {
      open()
    } catch (error) {
      dropSource()
      recover({ code: 'network', status: undefined, retryAfter: undefined, error }, -1)
    }
  }

  /** After a loss: pause while offline, else ask the policy and `onReconnecting`, then wait. */
  const recover = (cause: DisconnectCause, uptime: number): void => {
    if (closed()) return
    if (isOffline()) offline = true
    if (offline) {
      status = 'paused'
      return
    }
    const next = nextAttempt(o.retry, attempt, uptime)
    let decision: ReconnectDecision
    try {
      decision = planReconnect(o.retry, { attempt: next, cause, lastEventId: lastId, serverRetry }, Math.random)
    } catch (error) {
      // A shouldReconnect that throws cannot say yes: reported like a hook that throws, it stops the client.
      report(new ListenerError('shouldReconnect', error), undefined)
      decision = { reconnect: false, attempt: next, reason: 'should-reconnect' }
    }
    // shouldReconnect (or onError) may have closed the client.
    if (closed()) return
    // Who gave up, unless the reconnection goes ahead (giving up is inline: one closure fewer per client).
    let reason: GiveUpInfo['reason'] = 'on-reconnecting'
    if (decision.reconnect) {
      attempt = next
      status = 'reconnecting'
      const verdict = call('onReconnecting', { attempt: next, delay: decision.delay, lastEventId: lastId, cause })
      // The hook may have closed the client, or a listener of its may have paused it.
      if (status !== 'reconnecting' || source) return
      if (verdict !== false) {
        timer = setTimeout(openOrRecover, decision.delay)
        return
      }
    } else reason = decision.reason
    const error = (givenUp = new ConnectionError(`gave up reconnecting to ${url}: ${reason} (${cause.status || cause.code})`, next, cause.status, cause.error))
    call('onGiveUp', { attempt: next, lastEventId: lastId, cause, reason, error })
    finish('give-up')
  }

  const receive = (type: string, list: ListenerList<Listener<any>>, event: MessageEvent<string>): void => {
    const id = event.lastEventId
    // The polyfill is seeded with the id and keeps it as the spec says, so its value is the truth
    // (an empty one included: the server cleared it). A re-created native source starts empty and
    // some URL-only backends forget the id between events: there an empty id means "unknown".
    if (typeof id === 'string' && (id !== '' || backend.kind === 'polyfill')) lastId = id
    // No decoder, no async schema, so nothing can be pending: the text goes straight out.
    if (!decoder) return deliver(list, type, lastId, event, event.data)
    const outcome = decoder(type, event)
    const later = isThenable(outcome)
    if (!later && pending.length === 0) return settle(type, lastId, event, outcome)
    const entry: PendingEvent = { type, id: lastId, event, outcome: later ? undefined : outcome }
    if (pending === NONE) pending = []
    const queue = pending
    queue.push(entry)
    if (later) {
      outcome.then((result) => {
        // close() starts a new queue: what the old one still waits for is dropped.
        if (queue !== pending) return
        entry.outcome = result
        while (queue === pending && queue.length > 0 && queue[0]!.outcome) {
          const first = queue.shift()!
          settle(first.type, first.id, first.event, first.outcome!)
        }
      })
    }
  }

  const settle = (type: string, id: string, event: MessageEvent<string>, outcome: Decoded): void => {
    if (outcome.error) {
      if (!closed()) report(outcome.error, event)
    } else deliver(listeners[type]!, type, id, event, outcome.value)
  }

  /** Hands one event's data to its listeners, then to `onAny` and the iterators (their record only when there are some). */
  const deliver = (list: ListenerList<Listener<any>>, type: string, id: string, event: MessageEvent<string>, data: unknown): void => {
    if (closed()) return
    list.emit(data, event, listenerThrew)
    // A listener may have closed the client.
    if (closed() || (!(anyListeners && anyListeners.items.length) && iterators.length === 0)) return
    fanOut(type, id, event, data)
  }

  // Apart from deliver(), so that the path every event takes stays small enough for the JIT to inline
  // down to the listener: with this in it, the client cost ~40 ns more per event (bench/in-process.mjs).
  const fanOut = (type: string, id: string, event: MessageEvent<string>, data: unknown): void => {
    const message = { type, data, id, event }
    if (anyListeners) anyListeners.emit(message, event, listenerThrew)
    if (closed()) return
    iterators.forEach((buffer) => buffer.push(message))
    if (!full && iterators.some((buffer) => buffer.size() >= bufferSize)) {
      full = true
      pause()
    }
  }

  /** Drops the connection and any pending reconnection, until every pause reason is gone (or for good: see finish()). */
  const pause = (): void => {
    if (closed()) return
    clearTimeout(timer)
    timer = undefined
    dropSource()
    status = 'paused'
  }

  const dropSource = (): void => {
    const dropped = source
    source = openedAt = undefined
    if (!dropped) return
    types.forEach((type, i) => dropped.removeEventListener(type, sourceListeners[i]!))
    dropped.close()
    // A source dropped without an error event (a pause) took no error's `serverRetry` with it: the polyfill tells.
    const retry = (dropped as { serverRetry?: unknown }).serverRetry
    if (typeof retry === 'number') serverRetry = retry
  }

  const finish = (reason: 'close' | 'abort' | 'give-up'): void => {
    if (closed()) return
    const error = givenUp
    if (error) reason = 'give-up'
    pause()
    status = 'closed'
    if (abort) o.signal!.removeEventListener('abort', abort)
    if (unwatch) unwatch()
    pending = NONE
    const ended = iterators
    iterators = NONE
    ended.forEach((buffer) => buffer.end(error && { error }))
    call('onClose', { reason, lastEventId: lastId, error })
  }

  const close = () => finish('close')

  listen('message')
  if (o.schemas) Object.keys(o.schemas).forEach(listen)
  const events = o.events || []
  for (let i = 0; i < events.length; i++) listen(events[i]!)

  const connection: Connection = {
    status: () => status,
    lastEventId: () => lastId,
    add(type, listener, once) {
      mustBeFunction(once ? 'once' : 'on', listener)
      const name = String(type)
      listen(name)
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
    close,
    iterate() {
      // Made per iterator, not per client: most clients never iterate.
      // An iterator's consumer took an event: read again once every buffer is at most half full.
      const took = (): void => {
        if (!full || iterators.some((other) => other.size() > bufferSize / 2)) return
        full = false
        // open() pauses again while another reason remains.
        if (status === 'paused') openOrRecover()
      }
      const buffer = bufferedIterator<ServerEvent<any>>(took, close)
      // A loop started after the give-up still learns why: it throws, as it would had it started earlier.
      if (closed()) buffer.end(givenUp && { error: givenUp })
      else iterators = iterators.concat([buffer])
      return buffer.iterator
    },
  }

  const signal = o.signal
  if (signal) {
    if (signal.aborted) {
      finish('abort')
      return connection
    }
    signal.addEventListener('abort', (abort = () => finish('abort')))
  }
  if (canWatch(!!o.pauseWhenHidden)) {
    unwatch = watchEnvironment((type) => {
      if (type === 'visibilitychange') {
        const now = isHidden()
        if (now === hidden) return
        hidden = now
        if (now) pause()
        else if (status === 'paused') openOrRecover()
      } else if (type === 'offline') {
        offline = true
        pause()
      } else {
        offline = false
        // Back online: a pause or a backoff wait may have been for the network, so reconnect at once
        // (open() pauses again while another reason remains).
        if (status === 'paused' || timer !== undefined) {
          clearTimeout(timer)
          openOrRecover()
        }
      }
    }, !!o.pauseWhenHidden)
  }
  try {
    open()
  } catch (error) {
    // The first attempt's mistakes (a URL that does not parse, say) are the caller's to see.
    finish('close')
    throw error
  }
  return connection
}
