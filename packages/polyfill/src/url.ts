declare const document: { baseURI?: string; URL?: string; createElement?(name: 'a'): { href: string; protocol: string } } | undefined
declare const location: { href: string } | undefined

function syntaxError(message: string): Error {
  return typeof DOMException === 'function' ? new DOMException(message, 'SyntaxError') : new SyntaxError(message)
}

function baseUrl(): string | undefined {
  if (typeof document !== 'undefined' && document) return document.baseURI || document.URL
  if (typeof location !== 'undefined' && location) return location.href
  return undefined
}

/**
 * Constructor steps 3–4: parse `url` relative to the document's base URL (the worker's location, or
 * nothing in Node); a failure throws a "SyntaxError" `DOMException`.
 */
export function resolveUrl(url: string): string {
  const base = baseUrl()
  if (typeof URL === 'function') {
    try {
      return new URL(url, base).href
    } catch {
      throw syntaxError(`EventSource: cannot parse the URL ${JSON.stringify(url)}${base ? ` relative to ${base}` : ''}`)
    }
  }
  // IE-class browsers have no URL constructor: an anchor resolves against the document's base.
  if (typeof document !== 'undefined' && document && document.createElement) {
    const anchor = document.createElement('a')
    anchor.href = url
    // An anchor keeps an unparsable href as it is; its protocol then is no scheme.
    if (!/^[a-z][a-z0-9+.-]*:$/i.test(anchor.protocol)) throw syntaxError(`EventSource: cannot parse the URL ${JSON.stringify(url)}`)
    return anchor.href
  }
  return url
}

/** The origin of an absolute URL, serialized as `MessageEvent.origin` wants it. */
export function originOf(url: string): string {
  if (typeof URL === 'function') {
    try {
      return new URL(url).origin
    } catch {
      return ''
    }
  }
  // IE-class fallback: scheme and host (userinfo dropped), lower-cased, without the default port.
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/?#@]*@)?([^/?#]*)/i.exec(url)
  if (!match) return ''
  const scheme = match[1]!.toLowerCase()
  const host = match[2]!.toLowerCase()
  const defaultPort = scheme === 'http' ? ':80' : scheme === 'https' ? ':443' : ''
  const bareHost = defaultPort && host.slice(-defaultPort.length) === defaultPort ? host.slice(0, -defaultPort.length) : host
  return `${scheme}://${bareHost}`
}

/** `url` with `name=value` set as a query parameter (replacing an earlier value). */
export function withQueryParam(url: string, name: string, value: string): string {
  if (typeof URL === 'function') {
    const parsed = new URL(url)
    parsed.searchParams.set(name, value)
    return parsed.href
  }
  const hashAt = url.indexOf('#')
  const hash = hashAt < 0 ? '' : url.slice(hashAt)
  const bare = hashAt < 0 ? url : url.slice(0, hashAt)
  const pair = `${encodeURIComponent(name)}=${encodeURIComponent(value)}`
  const pattern = new RegExp(`([?&])${encodeURIComponent(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=[^&]*`)
  return (pattern.test(bare) ? bare.replace(pattern, `$1${pair}`) : bare + (bare.indexOf('?') < 0 ? '?' : '&') + pair) + hash
}
