import { createSource, describeDisconnect, failure, type Backend } from './backend.ts'
import { createDelivery, type Delivery } from './delivery.ts'
import { isHidden, isOffline, watchEnvironment } from './environment.ts'
import { ConnectionError, isClientError, type ListenerError } from './errors.ts'
import { createHooks } from './hooks.ts'
import { createIteration, type Iteration } from './iteration.ts'
import { NONE } from './listeners.ts'
import type { GiveUpInfo, Options } from './options.ts'
import { decideReconnect, nextAttempt, type DisconnectCause } from './reconnect.ts'
import type { ClientStatus, EventSourceLike, SSEClient, SSEMessageEvent } from './types.ts'

// The readyState of a source that reconnects by itself.
const CONNECTING = 0

/**
 * The lifecycle behind an `SSEClient`: it creates the `EventSource` of each attempt, hands its
 * events to the delivery, and after a loss asks the policy whether and when to try again; it
 * pauses while offline, hidden or behind a slow iterator, and closes for good once. Its state lives
 * in this closure because a minifier shortens local names but never `this.` fields. It throws what
 * the first attempt throws (a URL that does not parse, say), closed.
 */
export function createConnection(url: string, o: Options, backend: Backend): SSEClient<any> {
  const hooks = createHooks(o)
  const call = hooks.call
  const polyfill = backend.kind === 'polyfill'
  // A URL-only backend (the browser's own) resumes a plain drop by itself with `Last-Event-ID`,
  // which a re-created one cannot send: it is left to, but for a per-attempt URL.
  const selfResume = !polyfill && !o.requestUrl
  const terminator = o.terminator
  // Undefined without a terminator, so that each event's check is one comparison.
  const endType = typeof terminator === 'string' ? terminator : terminator && (terminator.type || 'message')
  const endData = typeof terminator === 'object' ? terminator.data : undefined
  const endIsDone = (o.endOfStream || (o.body !== undefined ? 'done' : 'reconnect')) === 'done'
  // What close() undoes besides the source, each only where there is one: the abort listener, the browser signals.
  let abort: (() => void) | undefined
  let unwatch: (() => void) | undefined
  let status: ClientStatus = 'connecting'
  let lastId = o.lastEventId || ''
  let attempt = 0
  let source: EventSourceLike | undefined
  // The current source's listener of each type (in the order of `delivery.types`), to remove them when it is dropped.
  let sourceListeners: Array<(event: Event) => void> = NONE
  let openedAt: number | undefined
  let everOpened = false
  let serverRetry: number | undefined
  // Set only while waiting to reconnect.
  let timer: ReturnType<typeof setTimeout> | undefined
  // Set when the client gives up: from then on that is why it closes, even when onGiveUp calls close().
  let givenUp: ConnectionError | undefined
  // Why the client does not read: the network, a hidden page (and a full iterator buffer, in `iteration`).
  let offline = isOffline()
  let hidden = !!o.pauseWhenHidden && isHidden()
  let iteration: Iteration | undefined
  const closed = () => status === 'closed'
  const delivery = createDelivery(
    o,
    hooks,
    closed,
    (type) => {
      if (source) sourceListeners.push(listenTo(source, type))
    },
    () => iteration,
    // The polyfill's id is the truth (see receive()); a URL-only backend's is what receive() kept.
    polyfill ? (event) => event.lastEventId : () => lastId,
  )

  /**
   * Gives `created` its listener for `type`: one that knows its type and its listeners, so an event
   * needs no lookup; `open` and `error` (the first two types) share the source's `control` listener.
   */
  const listenTo = (created: EventSourceLike, type: string, control?: (event: Event) => void): ((event: Event) => void) => {
    const list = delivery.list(type)!
    const listener =
      control ||
      ((event: Event) => {
        if (created === source) receive(list, type, event as SSEMessageEvent)
      })
    created.addEventListener(type, listener)
    return listener
  }

  /** Starts one attempt, unless something holds the client paused. */
  const open = (): void => {
    timer = undefined
    if (offline || hidden || (iteration && iteration.full())) {
      status = 'paused'
      return
    }
    status = everOpened || attempt > 0 ? 'reconnecting' : 'connecting'
    // A message event of this source to its listeners (its type's list may have been made after the
    // source was). The kit's polyfill hands its events straight here, round the dispatch; any other
    // backend dispatches them to the listeners listenTo() adds, which also tell a source the types.
    const toClient = (event: SSEMessageEvent): void => {
      const type = event.type
      const list = delivery.list(type)
      if (list && created === source) receive(list, type, event)
    }
    const created: EventSourceLike = createSource(backend, o, url, attempt, lastId, toClient)
    // A per-attempt function (headers, requestUrl) may have closed the client: the new source must not outlive it.
    if (closed()) return created.close()
    source = created
    // One listener for `open` and `error`, which tells them apart by the event's type.
    const control = (event: Event): void => {
      if (created !== source) return
      const type = event.type
      // The backend's own reconnection reports back.
      clearTimeout(timer)
      timer = undefined
      // The server may name an event `open` or `error`: those come as MessageEvents with string data.
      if (typeof (event as SSEMessageEvent).data === 'string') toClient(event as SSEMessageEvent)
      else if (type === 'open') {
        status = 'open'
        openedAt = Date.now()
        everOpened = true
        call('onOpen', { attempt, lastEventId: lastId })
      } else lost(created, event)
    }
    // Made by map(), not push(): an array of just the right length.
    sourceListeners = delivery.types.map((type, i) => listenTo(created, type, i < 2 ? control : undefined))
  }

  /** The source's `error`: the stream finished, the backend resumes by itself, or the policy decides. */
  const lost = (created: EventSourceLike, event: Event): void => {
    const now = Date.now()
    const described = describeDisconnect(event, created.readyState, now)
    const cause = described.cause
    if (described.serverRetry !== undefined) serverRetry = described.serverRetry
    const uptime = openedAt === undefined ? -1 : now - openedAt
    // A URL-only backend cannot tell the end of an open stream from a drop: it reconnects after either.
    const dropped = uptime >= 0 && created.readyState === CONNECTING && !polyfill
    // A per-attempt function failed (the polyfill's `request` error): the caller hears of it, then the policy decides.
    const failed = (cause.error as { cause?: unknown }).cause
    if (cause.code === 'request' && isClientError(failed)) hooks.report(failed as ListenerError, undefined)
    if (endIsDone && (cause.code === 'stream-ended' || dropped)) {
      // The answer is complete (or, without its terminator, cut short): a request is never made again for it.
      dropSource()
      return endType !== undefined ? giveUp(attempt + 1, 'no-terminator', cause) : finish('done')
    }
    if (dropped && selfResume) {
      // Left to the backend's own reconnection, which sends `Last-Event-ID`; if that fails, the policy takes over.
      openedAt = undefined
      return recover(cause, uptime, created)
    }
    // Closing in the error listener is what stops the backend's own reconnection: the policy alone decides.
    dropSource()
    recover(cause, uptime, undefined)
  }

  /** An attempt that fails before it starts (a per-attempt function threw) counts as a lost connection. */
  const openOrRecover = (): void => {
    try {
      open()
    } catch (error) {
      dropSource()
      recover(failure('network', error), -1, undefined)
    }
  }

  /**
   * After a loss: pause while offline, else ask the policy and `onReconnecting`, then wait (or let
   * `resuming`, a backend that reconnects by itself, do it).
   */
  const recover = (cause: DisconnectCause, uptime: number, resuming: EventSourceLike | undefined): void => {
    if (closed()) return
    if (isOffline()) offline = true
    if (offline) return pause()
    const next = nextAttempt(o.retry, attempt, uptime)
    const decision = decideReconnect(o.retry, hooks, { attempt: next, cause, lastEventId: lastId, serverRetry })
    // shouldReconnect (or onError) may have closed the client.
    if (closed()) return
    // Who gave up, unless the reconnection goes ahead.
    let reason: GiveUpInfo['reason'] = 'on-reconnecting'
    if (decision.reconnect) {
      attempt = next
      status = 'reconnecting'
      const delay = resuming ? 0 : decision.delay
      const verdict = call('onReconnecting', { attempt: next, delay, lastEventId: lastId, cause, byBackend: !!resuming })
      // The hook may have closed the client, or a listener of its may have paused or reopened it.
      if (status !== 'reconnecting' || source !== resuming) return
      if (verdict !== false) {
        // While the backend waits on its own, this timer stands for its wait: `online` cuts it short,
        // and a Node process stays alive for it (Node's own EventSource does not hold the process).
        timer = setTimeout(resuming ? () => {} : openOrRecover, resuming ? 2147483647 : delay)
        return
      }
    } else reason = decision.reason
    giveUp(next, reason, cause)
  }

  const giveUp = (refused: number, reason: GiveUpInfo['reason'], cause: DisconnectCause): void => {
    const why = reason === 'no-terminator' ? 'the stream ended before its terminator' : `gave up reconnecting: ${reason} (${cause.status || cause.code})`
    const error = (givenUp = new ConnectionError(`${url}: ${why}`, refused, cause))
    call('onGiveUp', { attempt: refused, lastEventId: lastId, cause, reason, error })
    finish('give-up')
  }

  // Every event's path: straight to the delivery where there is no id to keep (the polyfill keeps
  // it) and no terminator to look for: the layer saved is ~15 ns per event (bench/in-process.mjs).
  const receive: Delivery['receive'] = polyfill && endType === undefined ? delivery.receive : (list, type, event) => {
    // The polyfill is seeded with the id and keeps it as the spec says, so its value is the truth
    // (an empty one included: the server cleared it), read from the source when it is dropped. A
    // re-created native source starts empty and some URL-only backends forget the id between
    // events: there an empty id means "unknown", and the client keeps the last one it saw.
    if (!polyfill) {
      const id = event.lastEventId
      if (typeof id === 'string' && id !== '') lastId = id
    }
    // The terminator is the end of the answer, not a part of it: never decoded, never delivered.
    if (type === endType && (endData === undefined || event.data === endData)) return finish('done')
    delivery.receive(list, type, event)
  }

  /** Drops the connection and any pending reconnection, until every pause reason is gone (or for good: see finish()). */
  const pause = (): void => {
    if (closed()) return
    clearTimeout(timer)
    timer = undefined
    dropSource()
    status = 'paused'
  }

  const resume = (): void => {
    // open() pauses again while another reason remains.
    if (status === 'paused') openOrRecover()
  }

  const dropSource = (): void => {
    const dropped = source as (EventSourceLike & { serverRetry?: unknown; lastEventId?: unknown }) | undefined
    source = openedAt = undefined
    if (!dropped) return
    delivery.types.forEach((type, i) => dropped.removeEventListener(type, sourceListeners[i]!))
    dropped.close()
    if (!polyfill) return
    // What the polyfill knows beyond its events: the server's `retry:` (also without an error event,
    // after a pause) and the last id, id-only blocks and unheard types included. Never resume worse.
    if (typeof dropped.serverRetry === 'number') serverRetry = dropped.serverRetry
    if (typeof dropped.lastEventId === 'string') lastId = dropped.lastEventId
  }

  const finish = (reason: 'close' | 'abort' | 'give-up' | 'done'): void => {
    if (closed()) return
    const error = givenUp
    if (error) reason = 'give-up'
    pause()
    status = 'closed'
    if (abort) o.signal!.removeEventListener('abort', abort)
    if (unwatch) unwatch()
    delivery.clear()
    if (iteration) iteration.end(error && { error })
    call('onClose', { reason, lastEventId: lastId, error })
  }

  const close = () => finish('close')

  delivery.listen('message')
  if (o.schemas) Object.keys(o.schemas).forEach(delivery.listen)
  if (endType !== undefined) delivery.listen(endType)
  const events = o.events || []
  for (let i = 0; i < events.length; i++) delivery.listen(events[i]!)

  const client = {
    url,
    backend: backend.kind,
    get status() {
      return status
    },
    get lastEventId() {
      // Over the polyfill, the source's own id: it also knows id-only blocks and unheard types.
      const current = polyfill && source && (source as { lastEventId?: unknown }).lastEventId
      return typeof current === 'string' ? current : lastId
    },
    on: (type: string, listener: any) => delivery.add(type, listener, false),
    once: (type: string, listener: any) => delivery.add(type, listener, true),
    off: delivery.off,
    onAny: delivery.onAny,
    close,
  } as SSEClient<any>
  // Only where the platform has async iteration: the callback path needs neither Symbol nor Promise.
  if (typeof Symbol === 'function' && Symbol.asyncIterator) {
    client[Symbol.asyncIterator] = () => (iteration || (iteration = createIteration(o.bufferSize || 256, pause, resume, close))).iterate(closed() && givenUp && { error: givenUp })
  }

  const signal = o.signal
  if (signal) {
    if (signal.aborted) {
      finish('abort')
      return client
    }
    signal.addEventListener('abort', (abort = () => finish('abort')))
  }
  unwatch = watchEnvironment((type) => {
    if (type === 'visibilitychange') {
      const now = isHidden()
      if (now === hidden) return
      hidden = now
      if (now) pause()
      else resume()
    } else if (type === 'offline') {
      offline = true
      pause()
    } else {
      offline = false
      // Back online: a pause or a backoff wait may have been for the network, so reconnect at once
      // (open() pauses again while another reason remains).
      if (status === 'paused' || timer !== undefined) {
        clearTimeout(timer)
        dropSource()
        openOrRecover()
      }
    }
  }, !!o.pauseWhenHidden)
  try {
    open()
  } catch (error) {
    // The first attempt's mistakes (a URL that does not parse, say) are the caller's to see.
    finish('close')
    throw error
  }
  return client
}
