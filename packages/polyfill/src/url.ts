import { platform } from './platform.ts'

declare const document: { baseURI?: string; URL?: string } | undefined
declare const location: { href: string } | undefined

/**
 * Constructor steps 3–4: parse `url` relative to the document's base URL (the worker's location, or
 * nothing in Node); a failure throws a "SyntaxError" `DOMException` (a `SyntaxError` where there is
 * no `DOMException` constructor).
 */
export function resolveUrl(url: string): string {
  const base = typeof document !== 'undefined' && document ? document.baseURI || document.URL : typeof location !== 'undefined' && location ? location.href : undefined
  try {
    return platform.parseUrl(url, base)
  } catch {
    const message = `EventSource: cannot parse the URL ${JSON.stringify(url)}`
    throw typeof DOMException === 'function' ? new DOMException(message, 'SyntaxError') : new SyntaxError(message)
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
