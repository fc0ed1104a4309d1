import { describe, expect, it } from 'vitest'
import { defaultRetry, defaultShouldReconnect, type DisconnectCause, type RetryPolicy } from '@ssekit/client/polyfilled'
import { nextAttempt, normalizeRetry, parseRetryAfter, planReconnect, reconnectDelay } from '../src/reconnect.ts'
import { checkOptions } from '../src/validate.ts'

const cause = (code: DisconnectCause['code'], status?: number, retryAfter?: number): DisconnectCause => ({ code, status, retryAfter, headers: undefined, body: undefined, error: undefined })
const policy = (overrides: Partial<RetryPolicy> = {}): RetryPolicy => ({ ...defaultRetry, ...overrides })
const never = () => 0
const always = () => 0.999_999

describe('reconnectDelay: exponential backoff with jitter (pure)', () => {
  it('doubles from initialDelay and stops at maxDelay', () => {
    const p = policy({ jitter: 0 })
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => reconnectDelay(p, n, {}, never))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000])
    const q = policy({ initialDelay: 100, factor: 3, maxDelay: 1000, jitter: 0 })
    expect([1, 2, 3, 4].map((n) => reconnectDelay(q, n, {}, never))).toEqual([100, 300, 900, 1000])
  })

  it('takes the random fraction `jitter` off the delay: [d × (1 − jitter), d]', () => {
    const p = policy({ jitter: 0.5 })
    expect(reconnectDelay(p, 1, {}, never)).toBe(1000)
    expect(reconnectDelay(p, 1, {}, () => 0.5)).toBe(750)
    expect(reconnectDelay(p, 1, {}, always)).toBe(500)
    expect(reconnectDelay(policy({ jitter: 1 }), 3, {}, always)).toBe(0)
    expect(reconnectDelay(policy({ jitter: 0 }), 3, {}, always)).toBe(4000)
  })

  it("uses the server's retry as a floor, exactly, never jittered", () => {
    const p = policy({ jitter: 0.5 })
    expect(reconnectDelay(p, 1, { serverRetry: 5000 }, always)).toBe(5000)
    expect(reconnectDelay(p, 1, { serverRetry: 5000 }, never)).toBe(5000)
    // Above the floor the backoff wins, jitter included.
    expect(reconnectDelay(p, 5, { serverRetry: 5000 }, () => 0.5)).toBe(12000)
    // The floor may exceed maxDelay: it is the server's own number.
    expect(reconnectDelay(policy({ maxDelay: 2000 }), 9, { serverRetry: 60_000 }, never)).toBe(60_000)
    expect(reconnectDelay(p, 1, { serverRetry: 0 }, never)).toBe(1000)
  })

  it('honours Retry-After as a floor unless retryAfter is false', () => {
    expect(reconnectDelay(policy(), 1, { retryAfter: 7000 }, always)).toBe(7000)
    expect(reconnectDelay(policy({ maxDelay: 1000 }), 1, { retryAfter: 120_000 }, never)).toBe(120_000)
    expect(reconnectDelay(policy({ retryAfter: false, jitter: 0 }), 1, { retryAfter: 7000 }, never)).toBe(1000)
    expect(reconnectDelay(policy({ jitter: 0 }), 1, { retryAfter: 3000, serverRetry: 4000 }, never)).toBe(4000)
  })
  it('never exceeds the longest wait a timer can do (2^31 − 1 ms; past it setTimeout fires at once)', () => {
    const longest = 2 ** 31 - 1
    expect(reconnectDelay(policy(), 1, { retryAfter: 365 * 24 * 3600_000 }, never)).toBe(longest)
    expect(reconnectDelay(policy(), 1, { serverRetry: 1e10 }, never)).toBe(longest)
    expect(reconnectDelay(policy({ initialDelay: 1e10, maxDelay: 1e12, jitter: 0 }), 3, {}, never)).toBe(longest)
    expect(reconnectDelay(policy(), 1, { retryAfter: longest }, never)).toBe(longest)
  })
})

describe('nextAttempt: reset after a stable connection (pure)', () => {
  it('counts on while connections do not last, starts again at 1 once one did', () => {
    const p = policy({ resetAfter: 5000 })
    expect(nextAttempt(p, 0, -1)).toBe(1)
    expect(nextAttempt(p, 3, -1)).toBe(4)
    expect(nextAttempt(p, 3, 4999)).toBe(4)
    expect(nextAttempt(p, 3, 5000)).toBe(1)
    // resetAfter 0: any connection that opened is stable, one that never opened is not.
    expect(nextAttempt(policy({ resetAfter: 0 }), 3, 0)).toBe(1)
    expect(nextAttempt(policy({ resetAfter: 0 }), 3, -1)).toBe(4)
  })
})

describe('defaultShouldReconnect (pure)', () => {
  const decide = (c: DisconnectCause) => defaultShouldReconnect({ attempt: 1, cause: c, lastEventId: '' })

  it('retries network errors, the end of the stream, heartbeat timeouts and unknown failures', () => {
    for (const code of ['network', 'stream-ended', 'heartbeat-timeout', 'unknown'] as const) expect(decide(cause(code)), code).toBe(true)
  })

  it('retries 5xx, 429 and 408', () => {
    for (const status of [500, 502, 503, 504, 599, 429, 408]) expect(decide(cause('http-status', status)), String(status)).toBe(true)
  })

  it('stops on 204, 401, 403, 404 and the other statuses, a wrong Content-Type and an oversize event', () => {
    for (const status of [204, 201, 301, 400, 401, 403, 404, 410, 451]) expect(decide(cause('http-status', status)), String(status)).toBe(false)
    expect(decide(cause('content-type', 200))).toBe(false)
    expect(decide(cause('event-too-large'))).toBe(false)
  })
})

describe('planReconnect (pure)', () => {
  it('plans attempt n with its delay', () => {
    expect(planReconnect(policy({ jitter: 0 }), { attempt: 3, cause: cause('network'), lastEventId: '' }, never)).toEqual({ reconnect: true, attempt: 3, delay: 4000 })
  })

  it('gives up past maxAttempts', () => {
    const p = policy({ maxAttempts: 2 })
    expect(planReconnect(p, { attempt: 2, cause: cause('network'), lastEventId: '' }, never).reconnect).toBe(true)
    expect(planReconnect(p, { attempt: 3, cause: cause('network'), lastEventId: '' }, never)).toEqual({ reconnect: false, attempt: 3, reason: 'max-attempts' })
    expect(planReconnect(policy({ maxAttempts: 0 }), { attempt: 1, cause: cause('network'), lastEventId: '' }, never).reconnect).toBe(false)
  })

  it('asks shouldReconnect, which sees the attempt, the status and the last id', () => {
    const seen: unknown[] = []
    const p = policy({
      shouldReconnect: (info) => {
        seen.push(info)
        return info.cause.status === 401
      },
    })
    expect(planReconnect(p, { attempt: 2, cause: cause('http-status', 401), lastEventId: '9' }, never).reconnect).toBe(true)
    expect(planReconnect(p, { attempt: 1, cause: cause('http-status', 503), lastEventId: '' }, never)).toEqual({ reconnect: false, attempt: 1, reason: 'should-reconnect' })
    expect(seen[0]).toEqual({ attempt: 2, cause: cause('http-status', 401), lastEventId: '9' })
  })

  it('applies the server retry and Retry-After floors', () => {
    const p = policy({ jitter: 0 })
    expect(planReconnect(p, { attempt: 1, cause: cause('network'), lastEventId: '', serverRetry: 2500 }, never)).toMatchObject({ delay: 2500 })
    expect(planReconnect(p, { attempt: 1, cause: cause('http-status', 503, 9000), lastEventId: '' }, never)).toMatchObject({ delay: 9000 })
  })
})

describe('parseRetryAfter (pure)', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0)
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0)
  })
  it('ignores what is neither', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('-5', now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('1.5', now)).toBeUndefined()
  })
})

describe('normalizeRetry: one options object, a number shorthand; its checks', () => {
  it('applies the documented defaults', () => {
    expect(normalizeRetry(undefined)).toEqual({
      initialDelay: 1000,
      maxDelay: 30000,
      factor: 2,
      jitter: 0.5,
      maxAttempts: Infinity,
      resetAfter: 5000,
      retryAfter: true,
      shouldReconnect: defaultShouldReconnect,
    })
  })
  it('reads a number as maxAttempts and false as never', () => {
    expect(normalizeRetry(3)).toEqual({ ...defaultRetry, maxAttempts: 3 })
    expect(normalizeRetry(false).maxAttempts).toBe(0)
    expect(normalizeRetry({ maxDelay: 5 })).toEqual({ ...defaultRetry, maxDelay: 5 })
  })
  it('keeps a default where a field is given as undefined', () => {
    expect(normalizeRetry({ maxDelay: undefined, factor: 3 })).toEqual({ ...defaultRetry, factor: 3 })
  })
  it('is checked by checkOptions, which throws a TypeError naming the field', () => {
    const check = (retry: unknown) => () => checkOptions({ retry: retry as never })
    expect(check(-1)).toThrow(/option `retry` must be/)
    expect(check({ maxDelay: -1 })).toThrow(/`retry.maxDelay` must be a finite number of ms ≥ 0, got -1/)
    expect(check({ jitter: 2 })).toThrow(/`retry.jitter`/)
    expect(check({ factor: 0.5 })).toThrow(/`retry.factor`/)
    expect(check({ maxAttempts: 1.5 })).toThrow(/`retry.maxAttempts`/)
    expect(check({ initialDelay: Number.NaN })).toThrow(/`retry.initialDelay`/)
    expect(check({ shouldReconnect: 'yes' })).toThrow(TypeError)
    expect(check('3')).toThrow(/`retry`/)
    expect(check(null)).toThrow(/`retry`/)
    expect(check({ maxAttempts: 3, jitter: 0 })).not.toThrow()
  })
})
