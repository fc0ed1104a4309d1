// URL handling for IE-class browsers, which have no URL constructor.

declare const document: { createElement?(name: 'a'): { href: string; protocol: string } } | undefined

/** Resolves `url` with an anchor, which resolves against the document's base URL. */
export function anchorParseUrl(url: string): string {
  if (typeof document === 'undefined' || !document || !document.createElement) return url
  const anchor = document.createElement('a')
  anchor.href = url
  // An anchor keeps an unparsable href as it is; its protocol then is no scheme.
  if (!/^[a-z][a-z0-9+.-]*:$/i.test(anchor.protocol)) throw new Error('unparsable URL')
  return anchor.href
}

/** Scheme and host (userinfo dropped), lower-cased, without the scheme's default port. */
export function regexOrigin(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/?#@]*@)?([^/?#]*)/i.exec(url)
  if (!match) return ''
  const scheme = match[1]!.toLowerCase()
  const host = match[2]!.toLowerCase()
  const defaultPort = scheme === 'http' ? ':80' : scheme === 'https' ? ':443' : ''
  const bareHost = defaultPort && host.slice(-defaultPort.length) === defaultPort ? host.slice(0, -defaultPort.length) : host
  return `${scheme}://${bareHost}`
}
