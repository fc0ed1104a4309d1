import { EventSourceError } from './errors.ts'
import { platform } from './platform.ts'
import type { Transport } from './transport/types.ts'

const LONGEST_WAIT = 2147483647

/**
 * extension: a transport that gives up on a connection when nothing (not even a comment) arrives
 * for `timeout` ms, so the source reconnects (a `heartbeat-timeout` error) instead of waiting on a
 * connection a proxy or a sleeping laptop silently dropped. Wraps `transport`, or the platform's
 * default transport. One timer per connection, re-armed only when it fires: resetting a timer on
 * every chunk would cost more than the parsing.
 *
 * @example
 * new EventSource(url, { transport: withHeartbeat(45_000) }) // the server sends a comment every 15 s
 */
export function withHeartbeat(timeout: number, transport?: Transport): Transport {
  if (!(typeof timeout === 'number' && timeout > 0 && timeout <= LONGEST_WAIT)) {
    throw new TypeError(`withHeartbeat: \`timeout\` must be a number of ms from 1 to ${LONGEST_WAIT}, got ${String(timeout)}`)
  }
  return (request, handlers) => {
    let last = Date.now()
    let timer: ReturnType<typeof setTimeout> | undefined
    let over = false
    const stop = () => {
      over = true
      clearTimeout(timer)
    }
    const check = () => {
      const silent = Date.now() - last
      if (silent < timeout) {
        timer = setTimeout(check, timeout - silent)
        return
      }
      abort()
      handlers.error(new EventSourceError('heartbeat-timeout', `EventSource ${request.url}: nothing arrived for ${timeout} ms (heartbeat)`, request.url))
    }
    const abort = (transport || platform.transport)(request, {
      active: () => handlers.active(),
      response: (response) => handlers.response(response),
      text: (chunk) => {
        last = Date.now()
        handlers.text(chunk)
      },
      end: (reason) => {
        stop()
        handlers.end(reason)
      },
      error: (cause) => {
        stop()
        handlers.error(cause)
      },
    })
    // Armed once the inner transport has started (one that throws leaves no timer behind).
    if (!over) timer = setTimeout(check, timeout)
    return () => {
      stop()
      abort()
    }
  }
}
