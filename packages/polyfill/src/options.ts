import type { RequestHeaders } from './headers.ts'
import type { FetchLike, Transport, TransportName } from './transport/types.ts'

/** What a per-attempt function (`headers`, `requestUrl`) learns about the attempt it serves. */
export interface AttemptInfo {
  /** 0 for the first connection, then 1, 2, … for each reconnection. */
  attempt: number
  /** The last event id as it will be sent (`''` when there is none). */
  lastEventId: string
  /** The resolved URL the source was constructed with. */
  url: string
}

/**
 * The second constructor argument. `withCredentials` is the spec's; every other field is an
 * extension, and leaving it out gives exactly the spec's behaviour.
 */
export interface EventSourceOptions {
  /** Send cookies and credentials cross-origin (`credentials: 'include'`). @default false */
  withCredentials?: boolean
  /** extension: the `fetch` to use, e.g. one that goes through a proxy or adds auth. Forces the fetch transport. */
  fetch?: FetchLike
  /**
   * extension: extra request headers (a plain object, `[name, value]` pairs or a `Headers`), or a
   * function called before every connection attempt (so an expired token can be refreshed before a
   * reconnection) that returns them.
   */
  headers?: RequestHeaders | ((info: AttemptInfo) => RequestHeaders)
  /** extension: the URL of each attempt, computed from the attempt (e.g. to sign it). */
  requestUrl?: (info: AttemptInfo) => string
  /** extension: resume from this id: it is sent as `Last-Event-ID` on the first connection too. */
  lastEventId?: string
  /**
   * extension: also send the last event id as this query parameter (for the XHR transport behind
   * proxies that drop headers, and to avoid the CORS preflight a `Last-Event-ID` header causes).
   * When set, the `Last-Event-ID` header is not sent.
   */
  lastEventIdQueryParam?: string
  /** extension: reconnect when nothing (not even a comment) arrives for this many ms. */
  heartbeatTimeout?: number
  /**
   * extension: the largest event, in UTF-16 code units of decoded text (bytes, for ASCII), that the
   * source accepts; a larger one closes the source with an `event-too-large` error instead of
   * eating memory.
   */
  maxEventBytes?: number
  /** extension: force a transport, or give your own. @default 'auto' (under Node the node transport, else fetch where it streams, else XHR) */
  transport?: TransportName | 'auto' | Transport
  /**
   * extension: the XHR transport keeps the whole body in `responseText`; after this many characters
   * it reconnects between two events, transparently. @default 4_194_304
   */
  xhrRecycleAfter?: number
}

/** What a source reads of its options after construction: the extensions every attempt uses. */
export interface AttemptOptions {
  fetch: FetchLike | undefined
  headers: EventSourceOptions['headers']
  requestUrl: EventSourceOptions['requestUrl']
  lastEventIdQueryParam: string | undefined
  heartbeatTimeout: number | undefined
  maxEventBytes: number | undefined
  xhrRecycleAfter: number
}

/** The options after validation, with defaults applied. */
export interface NormalizedOptions {
  withCredentials: boolean
  lastEventId: string
  transport: TransportName | 'auto' | Transport
  /** The same object for every source that sets no attempt option, so an idle source holds none of its own. */
  attempt: AttemptOptions
}

const DEFAULT_ATTEMPT_OPTIONS: AttemptOptions = {
  fetch: undefined,
  headers: undefined,
  requestUrl: undefined,
  lastEventIdQueryParam: undefined,
  heartbeatTimeout: undefined,
  maxEventBytes: undefined,
  xhrRecycleAfter: 4_194_304,
}

/** `options`, or the shared defaults when it holds nothing else. */
function shareDefaults(options: AttemptOptions): AttemptOptions {
  const keys = Object.keys(options) as (keyof AttemptOptions)[]
  return keys.some((key) => options[key] !== DEFAULT_ATTEMPT_OPTIONS[key]) ? options : DEFAULT_ATTEMPT_OPTIONS
}

function fail(option: string, expected: string, value: unknown): never {
  throw new TypeError(`EventSource: option \`${option}\` must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
}

type Checked = Exclude<keyof EventSourceOptions, 'withCredentials'>
/** An option, what it must be, and the test of it. */
type Check = [option: Checked, expected: string, test: (value: unknown) => boolean]

const isFunction = (value: unknown) => typeof value === 'function'
const POSITIVE = 'a positive finite number'
const isPositive = (value: unknown) => typeof value === 'number' && value > 0 && value !== Infinity

/**
 * Every option but `withCredentials` (any value, taken as a boolean), in the order they are checked.
 * An array, not an object walked with for-in, which would also meet what a page added to `Object.prototype`.
 */
const CHECKS: Check[] = [
  ['fetch', 'a function', isFunction],
  ['headers', 'an object of header names to values, [name, value] pairs, a Headers, or a function returning one', (value) => isFunction(value) || (typeof value === 'object' && value !== null)],
  ['requestUrl', 'a function', isFunction],
  ['lastEventId', 'a string', (value) => typeof value === 'string'],
  ['lastEventIdQueryParam', 'a non-empty string', (value) => typeof value === 'string' && value !== ''],
  ['transport', "'auto', 'fetch', 'xhr' or a transport function", (value) => value === 'auto' || value === 'fetch' || value === 'xhr' || isFunction(value)],
  ['heartbeatTimeout', POSITIVE, isPositive],
  ['maxEventBytes', POSITIVE, isPositive],
  ['xhrRecycleAfter', POSITIVE, isPositive],
]

/**
 * Validates the second constructor argument; a bad option throws a `TypeError` that names it. Each
 * option is read once, as WebIDL reads a dictionary, so a getter cannot pass a check with one value
 * and hand over another.
 */
export function normalizeOptions(init: EventSourceOptions | undefined | null): NormalizedOptions {
  const o: EventSourceOptions = init == null ? {} : init
  if (typeof o !== 'object') fail('eventSourceInitDict', 'an object', o)
  const withCredentials = !!o.withCredentials
  const v = {} as { [K in Checked]: EventSourceOptions[K] }
  for (let i = 0; i < CHECKS.length; i++) {
    const check = CHECKS[i]!
    const option = check[0]
    const value = o[option]
    if (value !== undefined && !check[2](value)) fail(option, check[1], value)
    if (option === 'transport' && value === 'xhr' && v.fetch) fail(option, "not 'xhr' when `fetch` is given", value)
    v[option] = value as never
  }
  return {
    withCredentials,
    lastEventId: v.lastEventId || '',
    transport: v.transport || 'auto',
    attempt: shareDefaults({
      fetch: v.fetch,
      headers: v.headers,
      requestUrl: v.requestUrl,
      lastEventIdQueryParam: v.lastEventIdQueryParam,
      heartbeatTimeout: v.heartbeatTimeout,
      maxEventBytes: v.maxEventBytes,
      xhrRecycleAfter: v.xhrRecycleAfter || DEFAULT_ATTEMPT_OPTIONS.xhrRecycleAfter,
    }),
  }
}
