declare const location: { protocol: string; host: string } | undefined

/**
 * Whether `url` is on another origin than the document's (never in Node, which has none). From the
 * protocol and host, since IE has no `location.origin`.
 */
export function crossOrigin(urlOrigin: string): boolean {
  return typeof location !== 'undefined' && !!location && urlOrigin !== location.protocol + '//' + location.host
}

/**
 * `url` with the id as its last query parameter `lastEventId` (before any fragment): how a
 * cross-origin source resumes where the `Last-Event-ID` header would cost a CORS preflight the
 * server refuses. Not query.ts's `withQueryParam`, which also drops earlier values of the name and
 * mends lone surrogates: the core would carry it (~0.2 KB gzip) for a case those never arise in
 * (the source's own URL, an id from the stream or a checked option).
 */
export function withIdInQuery(url: string, id: string): string {
  const at = url.indexOf('#')
  const base = at < 0 ? url : url.slice(0, at)
  return base + (base.indexOf('?') < 0 ? '?' : '&') + 'lastEventId=' + encodeURIComponent(id) + (at < 0 ? '' : url.slice(at))
}
