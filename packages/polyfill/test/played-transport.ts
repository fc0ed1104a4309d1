import type { Transport, TransportHandlers, TransportResponse } from '@ssekit/polyfill'

/** The head of a 200 `text/event-stream` response, as a transport reports it. */
export const STREAM_RESPONSE: TransportResponse = {
  status: 200,
  statusText: 'OK',
  contentType: 'text/event-stream',
  url: 'http://stream.test/s',
  headers: { get: () => null },
}

/**
 * A transport whose part the test plays: it starts no request and keeps the handlers of every
 * attempt, so the test reports the response, text and ends itself, in the order it wants.
 */
export function playedTransport(): { transport: Transport; attempts: TransportHandlers[] } {
  const attempts: TransportHandlers[] = []
  const transport: Transport = (_request, handlers) => {
    attempts.push(handlers)
    return () => undefined
  }
  return { transport, attempts }
}
