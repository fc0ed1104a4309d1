import { platform } from './platform.ts'

declare const document: { baseURI?: string; URL?: string } | undefined
declare const location: { href: string } | undefined

function baseUrl(): string | undefined {
  if (typeof document !== 'undefined' && document) return document.baseURI || document.URL
  if (typeof location !== 'undefined' && location) return location.href
  return undefined
}

/** A "SyntaxError" `DOMException`, or a `SyntaxError` where there is no `DOMException` constructor. */
export function syntaxError(message: string): Error {
  return typeof DOMException === 'function' ? new DOMException(message, 'SyntaxError') : new SyntaxError(message)
}

/**
 * Constructor steps 3–4: parse `url` relative to the document's base URL (the worker's location, or
 * nothing in Node); a failure throws a "SyntaxError" `DOMException`.
 */
export function resolveUrl(url: string): string {
  const base = baseUrl()
  try {
    const href = platform.parseUrl(url, base)
    // The caller's string where it is already the serialized URL: sources opened on one URL share it.
    return href === url ? url : href
  } catch {
    throw syntaxError(`EventSource: cannot parse the URL ${JSON.stringify(url)}${base ? ` relative to ${base}` : ''}`)
  }
}

/** The origin of an absolute URL, or `''` where it has none. */
export function originOf(url: string): string {
  try {
    return platform.origin(url)
  } catch {
    return ''
  }
}
