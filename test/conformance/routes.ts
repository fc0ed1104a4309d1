import type { Route, Script } from '../server/scripted-server.ts'

/**
 * A route whose first reconnection dies before any response (its socket destroyed): a network
 * error. `first` answers the first request and must set a `retry` of at least 200 ms; `then`
 * answers the reconnection after the failed one.
 *
 * An HTTP stack may resend a request at once, unseen, when a reused keep-alive socket dies
 * before the response (Chromium does); such resends die too, so the error reaches the source.
 * They follow within milliseconds, while the source's own reconnection waits the `retry` time,
 * which is what tells them apart.
 */
export function failsOnceBeforeResponse(first: Script, then: Script): Route {
  let destroyedAt = Number.NEGATIVE_INFINITY
  return (request, res) => {
    if (request.index === 0) return first
    if (request.index === 1 || request.at - destroyedAt < 100) {
      destroyedAt = request.at
      res.socket?.destroy()
      return
    }
    return then
  }
}
