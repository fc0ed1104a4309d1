import { withIdInQuery } from './cors-fallback.ts'
import { lastEventIdHeader } from './last-event-id.ts'
import type { TransportRequest } from './transport/types.ts'

/**
 * The request of one connection attempt, as the spec makes it: step 10 asks for an event stream;
 * reestablish step 5 carries the last event ID `id` (when not empty) in the `Last-Event-ID` header,
 * or, when `idInQuery` (extension: the cross-origin fallback), in the URL's query instead.
 */
export function attemptRequest(url: string, id: string, idInQuery: boolean, withCredentials: boolean, attempt: number): TransportRequest {
  const query = id !== '' && idInQuery
  return {
    url: query ? withIdInQuery(url, id) : url,
    method: 'GET',
    headers: id === '' || query ? { Accept: 'text/event-stream' } : { Accept: 'text/event-stream', 'Last-Event-ID': lastEventIdHeader(id) },
    body: undefined,
    withCredentials,
    attempt,
    lastEventId: id,
  }
}
