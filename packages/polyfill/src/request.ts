import { EventSourceError } from './errors.ts'
import { platform } from './platform.ts'
import type { Transport, TransportRequest } from './transport/types.ts'

/**
 * A per-attempt request step: edits the attempt's request in place (URL, method, headers, body,
 * credentials), or returns the request to make instead; may return a promise (or any thenable) of
 * either. `request.attempt` and `request.lastEventId` say which attempt it is and where it resumes.
 */
export type RequestStep = (request: TransportRequest) => TransportRequest | void | PromiseLike<TransportRequest | void>

/**
 * extension: a transport that runs `step` before every connection attempt, then hands the request
 * to `transport` (or the platform's default). The step may be async, to fetch a fresh token, say;
 * one that throws or rejects fails that attempt with a `request` error (the `error` event, and the
 * source reconnects as after a network error), so a request never goes out without what the step
 * was to add.
 *
 * @example
 * new EventSource('/chat', {
 *   transport: withRequest(async (request) => {
 *     request.method = 'POST'
 *     request.headers['Authorization'] = `Bearer ${await getToken()}`
 *     request.body = JSON.stringify({ prompt, resumeAfter: request.lastEventId })
 *   }),
 * })
 */
export function withRequest(step: RequestStep, transport?: Transport): Transport {
  if (typeof step !== 'function') throw new TypeError(`withRequest: \`step\` must be a function, got ${String(step)}`)
  return (request, handlers) => {
    let abort: (() => void) | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let live = true
    // The step may have closed the source: then nothing is sent.
    const send = (given: TransportRequest | void) => {
      if (live && handlers.active()) abort = (transport || platform.transport)(given || request, handlers)
    }
    const fail = (cause: unknown) => {
      if (!live) return
      live = false
      handlers.error(new EventSourceError('request', `EventSource ${request.url}: the request step failed: ${cause instanceof Error ? cause.message : String(cause)}`, request.url, undefined, cause))
    }
    const stop = () => {
      live = false
      clearTimeout(timer)
      if (abort) abort()
    }
    let result: ReturnType<RequestStep>
    try {
      result = step(request)
    } catch (cause) {
      // From a task, as every failure is reported: after the source holds the abort function.
      timer = setTimeout(() => fail(cause), 0)
      return stop
    }
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') {
      ;(result as PromiseLike<TransportRequest | void>).then((given) => {
        // Already in a task: a transport that throws now is a network error at once.
        try {
          send(given)
        } catch (cause) {
          live = false
          handlers.error(cause)
        }
      }, fail)
    } else send(result as TransportRequest | void)
    return stop
  }
}
