import { fastEvent } from './message-event.ts'
import { fetchTransport } from './transport/fetch.ts'
import type { Transport } from './transport/types.ts'

/** What the `EventSource` needs of its base class. */
export interface EventTargetLike {
  addEventListener(type: string, listener: unknown, options?: unknown): void
  removeEventListener(type: string, listener: unknown, options?: unknown): void
  dispatchEvent(event: unknown): boolean
}

/**
 * The platform features the `EventSource` builds on, as evergreen browsers have them. The legacy
 * entry (`install-legacy.ts`) replaces what IE-class browsers lack before the `EventSource` class is
 * defined, so that its stand-ins never reach a modern bundle; the Node entry sets the node transport
 * as the default.
 */
export const platform: {
  /** The base class of the `EventSource`. */
  EventTarget: new () => EventTargetLike
  /** A `MessageEvent` (or one to every listener: message-event.ts) when `init` is given, else a plain `Event`: not bubbling, not cancelable. */
  event(type: string, init?: { data: string; origin: string; lastEventId: string }): Event
  /** `url` parsed against `base`, serialized; throws when it cannot be parsed. */
  parseUrl(url: string, base: string | undefined): string
  /** The origin of an absolute URL, serialized as `MessageEvent.origin` wants it. */
  origin(url: string): string
  /** The transport of a source that names none. */
  transport: Transport
} = {
  // IE-class browsers have no EventTarget global; the legacy entry replaces this before it is extended.
  EventTarget: typeof EventTarget === 'function' ? EventTarget : (Object as never),
  event: fastEvent,
  parseUrl: (url, base) => new URL(url, base).href,
  origin: (url) => new URL(url).origin,
  transport: fetchTransport,
}
