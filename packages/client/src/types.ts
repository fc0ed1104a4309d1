/**
 * A listener of one event type: the decoded data first, then the raw `MessageEvent` (its `data` is
 * the server's text, `lastEventId` the id). A listener of an event whose data is `void` or
 * `undefined` can simply take no arguments.
 */
export type Listener<T> = (data: T, event: MessageEvent<string>) => void

/**
 * One event as `onAny()` and `for await` see it: a union discriminated by `type`, so a `switch` on
 * `type` narrows `data`.
 */
export type ServerEvent<Events extends object> = {
  [K in keyof Events & string]: {
    type: K
    data: Events[K]
    /** The last event id when the event arrived (`''` when there is none). */
    id: string
    event: MessageEvent<string>
  }
}[keyof Events & string]

/**
 * Where the connection stands: `connecting` (first attempt), `open`, `reconnecting` (waiting for or
 * making another attempt), `paused` (offline, page hidden, or a full iterator buffer: no
 * connection until that changes), `closed` (for good).
 */
export type ClientStatus = 'connecting' | 'open' | 'reconnecting' | 'paused' | 'closed'
