import { ListenerError } from './errors.ts'
import type { Hooks } from './hooks.ts'

/**
 * Why a connection ended: the polyfill's error codes (see its `EventSourceErrorCode`), and
 * `'unknown'` when the backend failed for good without saying why (a browser's own `EventSource`
 * never tells the status of a failed response).
 */
export type DisconnectCode = 'network' | 'http-status' | 'content-type' | 'stream-ended' | 'heartbeat-timeout' | 'event-too-large' | 'request' | 'unknown'

/** Why a connection ended, as far as the backend can tell. */
export interface DisconnectCause {
  /** `network`, `http-status`, `stream-ended`, …; see {@link DisconnectCode}. */
  code: DisconnectCode
  /** The HTTP status, where the backend reports it. */
  status: number | undefined
  /** The delay the response's `Retry-After` header asked for, in ms, where there was one. */
  retryAfter: number | undefined
  /** The failed response's headers, where the backend reports them (the polyfill does). */
  headers: { get(name: string): string | null } | undefined
  /**
   * The start of the failed response's body (at most 64 KiB), where the backend reports it: the
   * JSON error document of a 401 or a 429, say.
   */
  body: string | undefined
  /** What the backend gave: the polyfill's `EventSourceError`, or the `error` event itself. */
  error: unknown
}

/** What `shouldReconnect` learns about the reconnection it decides on. */
export interface ReconnectInfo {
  /** The attempt it would be: 1 for the first reconnection after a connection was lost. */
  attempt: number
  cause: DisconnectCause
  /** The id the reconnection would resume from (`''` when there is none). */
  lastEventId: string
}

/**
 * The reconnection policy. Give an object, a number (the same as `{ maxAttempts: n }`), or `false`
 * (never reconnect).
 *
 * The delay of attempt `n` is `min(maxDelay, initialDelay × factor^(n−1))`, of which the fraction
 * `jitter` is random, then raised to the server's `retry:` value and to `Retry-After` where those
 * are larger. A floor is used as is, never jittered. No delay exceeds 2^31 − 1 ms (about 24.8
 * days), the longest a timer can wait.
 */
export interface RetryOptions {
  /** The delay before the first reconnection, in ms. @default 1000 */
  initialDelay?: number
  /** The cap of the exponential delay, in ms (the server's `retry:` and `Retry-After` may exceed it). @default 30000 */
  maxDelay?: number
  /** How much the delay grows per attempt. @default 2 */
  factor?: number
  /** The random fraction of each delay: it is drawn from `[delay × (1 − jitter), delay]`. `0` turns jitter off. @default 0.5 */
  jitter?: number
  /** Give up after this many reconnections in a row without a stable connection. @default Infinity */
  maxAttempts?: number
  /** A connection that stayed open this long (ms) counts as stable: the next loss starts again at attempt 1. @default 5000 */
  resetAfter?: number
  /** Wait at least what a `Retry-After` response header asks for (polyfill backend only). @default true */
  retryAfter?: boolean
  /**
   * Whether a lost connection is worth another attempt, given its cause. One that throws counts as
   * `false`; what it threw reaches `onError` as a `ListenerError`.
   * @default defaultShouldReconnect (network errors, end of stream, 408, 429 and 5xx: yes; anything else: no)
   */
  shouldReconnect?: (info: ReconnectInfo) => boolean
}

/** {@link RetryOptions} with every default applied. */
export interface RetryPolicy {
  initialDelay: number
  maxDelay: number
  factor: number
  jitter: number
  maxAttempts: number
  resetAfter: number
  retryAfter: boolean
  shouldReconnect: (info: ReconnectInfo) => boolean
}

/** What to do after a connection was lost. */
export type ReconnectDecision =
  | { reconnect: true; attempt: number; delay: number }
  | { reconnect: false; attempt: number; reason: 'should-reconnect' | 'max-attempts' }

/**
 * The default of `shouldReconnect`: retry what may heal by itself — network errors, a stream the
 * server ended, a heartbeat timeout, `408`, `429`, `5xx`, and a failure whose status the backend
 * does not tell (a browser's `EventSource`). Stop on every other status (`204` is the spec's "stop",
 * `401`, `403`, `404`, …), on a wrong `Content-Type` and on an oversize event.
 */
export function defaultShouldReconnect(info: ReconnectInfo): boolean {
  const { code, status } = info.cause
  if (code === 'http-status') return status === undefined || status === 408 || status === 429 || status >= 500
  return code !== 'content-type' && code !== 'event-too-large'
}

/** The policy used when `retry` is not given; every field as documented on {@link RetryOptions}. */
export const defaultRetry: RetryPolicy = {
  initialDelay: 1000,
  maxDelay: 30_000,
  factor: 2,
  jitter: 0.5,
  maxAttempts: Infinity,
  resetAfter: 5000,
  retryAfter: true,
  shouldReconnect: defaultShouldReconnect,
}

/** Copies `source`'s own fields that are not undefined onto `target` (ES5: no `Object.assign`), and returns it. */
export function copyDefined<T extends object>(target: T, source: object): T {
  Object.keys(source).forEach((field) => {
    const value = (source as { [field: string]: unknown })[field]
    if (value !== undefined) (target as { [field: string]: unknown })[field] = value
  })
  return target
}

/** The `retry` option made a complete policy: `false` and a number are `{ maxAttempts }`, every field not given is its default. */
export function normalizeRetry(retry: RetryOptions | number | false | undefined): RetryPolicy {
  if (retry === undefined) return defaultRetry
  return copyDefined(copyDefined({}, defaultRetry), typeof retry === 'object' ? retry : { maxAttempts: retry || 0 }) as RetryPolicy
}

/** The longest `setTimeout` wait: past it browsers and Node fire at once, which would reconnect in a tight loop. */
const LONGEST_TIMER = 2147483647

/**
 * The delay before reconnection `attempt` (1-based): exponential, capped, jittered, then raised to
 * the floors, and at most {@link LONGEST_TIMER} (about 24.8 days). `random` returns a number in
 * `[0, 1)`, like `Math.random`.
 */
export function reconnectDelay(policy: RetryPolicy, attempt: number, floors: { serverRetry?: number; retryAfter?: number }, random: () => number): number {
  const exponential = Math.min(policy.maxDelay, policy.initialDelay * Math.pow(policy.factor, attempt - 1))
  const jittered = Math.round(exponential * (1 - policy.jitter * random()))
  // The server's `retry:` and `Retry-After` are the server's own numbers: a floor, used as given.
  return Math.min(LONGEST_TIMER, Math.max(jittered, floors.serverRetry || 0, (policy.retryAfter && floors.retryAfter) || 0))
}

/** The attempt number after a loss: back to 1 when the lost connection had been stable. */
export function nextAttempt(policy: RetryPolicy, previousAttempt: number, uptime: number): number {
  return uptime >= policy.resetAfter ? 1 : previousAttempt + 1
}

/** Decides whether and when to make reconnection `attempt`; pure, so every rule is a unit test. */
export function planReconnect(
  policy: RetryPolicy,
  state: { attempt: number; cause: DisconnectCause; lastEventId: string; serverRetry?: number },
  random: () => number,
): ReconnectDecision {
  const { attempt, cause } = state
  if (!policy.shouldReconnect({ attempt, cause, lastEventId: state.lastEventId })) return { reconnect: false, attempt, reason: 'should-reconnect' }
  if (attempt > policy.maxAttempts) return { reconnect: false, attempt, reason: 'max-attempts' }
  return { reconnect: true, attempt, delay: reconnectDelay(policy, attempt, { serverRetry: state.serverRetry, retryAfter: cause.retryAfter }, random) }
}

/**
 * Reads a `Retry-After` header value (RFC 9110 §10.2.3): a number of seconds or an HTTP date.
 * Returns ms from `now`, or undefined when the value is neither.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // Every HTTP-date form names its month; without a letter, `Date.parse` would read "-5" as a year.
  if (!/[a-z]/i.test(text)) return undefined
  const date = Date.parse(text)
  if (date !== date) return undefined
  return date > now ? date - now : 0
}

/**
 * {@link planReconnect} with `Math.random`, for a client: a `shouldReconnect` that throws cannot say
 * yes; reported like a hook that throws, it stops the client.
 */
export function decideReconnect(policy: RetryPolicy, hooks: Hooks, state: { attempt: number; cause: DisconnectCause; lastEventId: string; serverRetry?: number }): ReconnectDecision {
  try {
    return planReconnect(policy, state, Math.random)
  } catch (error) {
    hooks.report(new ListenerError('shouldReconnect', error), undefined)
    return { reconnect: false, attempt: state.attempt, reason: 'should-reconnect' }
  }
}
