import { wellFormed } from './well-formed.ts'

/** The name of a parameter in a query (`a+b=1` gives `a b`); a malformed escape is not decoded. */
function keyOf(param: string): string {
  const key = param.split('=')[0]!
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '))
  } catch {
    return key
  }
}

/**
 * `url` with `name=value` last in its query, in place of every earlier value of `name`. The other
 * parameters keep their exact bytes and the fragment stays at the end; a lone surrogate is sent as
 * U+FFFD, as `URLSearchParams` would. Plain string work, so it runs where `URL` does not (IE). The
 * polyfill's `lastEventIdToQuery` and the client's query resumption both use it.
 *
 * @example
 * withQueryParam('https://x.test/s?since=1&topic=a#top', 'since', '9') // 'https://x.test/s?topic=a&since=9#top'
 */
export function withQueryParam(url: string, name: string, value: string): string {
  const hashAt = url.indexOf('#')
  const hash = hashAt < 0 ? '' : url.slice(hashAt)
  const rest = hashAt < 0 ? url : url.slice(0, hashAt)
  const queryAt = rest.indexOf('?')
  const kept = queryAt < 0 ? [] : rest.slice(queryAt + 1).split('&').filter((param) => param !== '' && keyOf(param) !== name)
  kept.push(encodeURIComponent(wellFormed(name)) + '=' + encodeURIComponent(wellFormed(value)))
  return (queryAt < 0 ? rest : rest.slice(0, queryAt)) + '?' + kept.join('&') + hash
}

/**
 * Moves the last event id of a request from the `Last-Event-ID` header to the query parameter
 * `name`, in place: for servers and proxies that cannot read the header, and cross-origin, where
 * that header makes a CORS preflight. For a `request` step.
 *
 * @example
 * new EventSource(url, { transport: withRequest((request) => lastEventIdToQuery(request, 'lastEventId')) })
 */
export function lastEventIdToQuery(request: { url: string; headers: Record<string, string>; lastEventId: string }, name: string): void {
  delete request.headers['Last-Event-ID']
  if (request.lastEventId !== '') request.url = withQueryParam(request.url, name, request.lastEventId)
}
