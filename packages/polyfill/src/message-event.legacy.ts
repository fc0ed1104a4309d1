// What the legacy builds (`/legacy` and the script tags) bundle in place of message-event.ts: the
// platform's own events. ES5 code cannot extend `Event`, so that file's class would be dead weight
// there (install-legacy.ts sets these events, or its stand-ins, before any source exists).
import type { platform } from './platform.ts'

/** The platform's `MessageEvent` when `init` is given, else a plain `Event`. */
export const fastEvent: typeof platform.event = (type, init) => (init ? new MessageEvent(type, init) : new Event(type))
