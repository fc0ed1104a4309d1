// The types of what an `EventSource` dispatches and takes, as the DOM's lib names them, written so
// that they compile without the DOM lib too (a Node-only project).
import type { EventSourceError } from './errors.ts'

/** The `error` event of the polyfill: a plain `Event` that also says what went wrong. */
export interface EventSourceErrorEvent extends Event {
  readonly type: 'error'
  /** What went wrong: a network failure, a bad response, the end of the stream, … */
  readonly error: EventSourceError
  /** True when the source is about to reconnect (readyState CONNECTING), false when it is CLOSED. */
  readonly willReconnect: boolean
  /**
   * extension: the reconnection time the server set with a `retry:` field, in ms, or undefined while
   * it has set none (so a wrapper that re-creates the source can keep honouring it).
   */
  readonly serverRetry: number | undefined
}

/**
 * A message event of the source: a `MessageEvent` whose `data` is the event's text. Written without
 * the DOM's generic `MessageEvent<T>`, as every type here is, so the types compile in a Node-only
 * project (no DOM lib: @types/node's `MessageEvent` takes no type argument).
 */
export type EventSourceMessageEvent = Omit<MessageEvent, 'data'> & { readonly data: string }

/** A listener as `addEventListener` takes it (the DOM's `EventListenerOrEventListenerObject`). */
export type AnyListener = ((event: Event) => any) | { handleEvent(event: Event): any }

/** The options `addEventListener` takes (the DOM's `AddEventListenerOptions`). */
export type AddOptions = boolean | { capture?: boolean; once?: boolean; passive?: boolean; signal?: AbortSignal }

/** The events an `EventSource` fires, by type. */
export interface EventSourceEventMap {
  error: EventSourceErrorEvent
  message: EventSourceMessageEvent
  open: Event
}
