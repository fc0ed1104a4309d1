import { request as httpRequest, type Agent, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import type { Readable, Transform } from 'node:stream'
import type { HeaderReader } from '../errors.ts'
import { hasHeader } from '../headers.ts'
import { contentDecoders } from './node-encoding.ts'
import type { RequestBody, Transport } from './types.ts'
import { Utf8Stream } from './utf8.ts'

/** Options of {@link createNodeTransport}. */
export interface NodeTransportOptions {
  /**
   * The agent of every request (an `http.Agent` for `http:` URLs, an `https.Agent` for `https:`, or
   * a proxy agent), or a function that picks one for each URL, redirects included; `undefined` from
   * it, or no option, uses Node's global agents.
   */
  agent?: Agent | ((url: URL) => Agent | undefined)
}

/** fetch's redirect statuses ("HTTP-redirect fetch"). */
const REDIRECT_STATUS: { [status: number]: true | undefined } = { 301: true, 302: true, 303: true, 307: true, 308: true }
/** fetch: "If request's redirect count is 20, then return a network error." */
const MAX_REDIRECTS = 20
/** Credentials that must never follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization']
/** What fetch drops with the body when a redirect turns a request into a GET ("request-body-header name"). */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type']

/** The request headers of the first hop: the source's, plus what fetch would add in Node. */
function requestHeaders(given: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {}
  Object.keys(given).forEach((name) => (headers[name] = given[name]!))
  // fetch's "no-store" cache mode adds these, so that no cache on the way answers instead of the server.
  if (!hasHeader(given, 'pragma')) headers['Pragma'] = 'no-cache'
  if (!hasHeader(given, 'cache-control')) headers['Cache-Control'] = 'no-cache'
  // What Node 20's fetch asks for. Not `br`: a brotli decoder's window can grow to megabytes per
  // connection, against the kilobytes this transport exists to save (a `br` body is decoded all the same).
  if (!hasHeader(given, 'accept-encoding')) headers['Accept-Encoding'] = 'gzip, deflate'
  return headers
}

function without(headers: Record<string, string>, dropped: string[]): Record<string, string> {
  const kept: Record<string, string> = {}
  Object.keys(headers).forEach((name) => {
    if (dropped.indexOf(name.toLowerCase()) < 0) kept[name] = headers[name]!
  })
  return kept
}

/** A body as node:http writes it: strings and bytes; anything else fetch takes is refused with a clear error. */
function nodeBody(body: RequestBody | undefined): string | Uint8Array | undefined {
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (body instanceof URLSearchParams) return body.toString()
  throw new TypeError('node transport: a request body must be a string, a Uint8Array, an ArrayBuffer or URLSearchParams (for FormData or a Blob, use the fetch transport)')
}

function headerReader(headers: IncomingHttpHeaders): HeaderReader {
  return {
    get(name: string): string | null {
      const value = headers[name.toLowerCase()]
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
    },
  }
}

function networkError(message: string): TypeError {
  return new TypeError(`node transport: ${message}`)
}

/**
 * Creates a transport on `node:http`/`node:https`: one request per attempt, redirects followed with
 * fetch's rules, gzip/deflate/br bodies decoded, and the body decoded as UTF-8 exactly as the
 * fetch transport does. Node only.
 *
 * - Redirects: 301, 302, 303, 307 and 308, at most 20; `Location` resolved against the current
 *   URL; the response reports the final URL. A redirect to another origin drops `Authorization`,
 *   `Cookie` and `Proxy-Authorization` for the rest of the chain. As fetch does, a 303 (and a 301
 *   or 302 of a POST) goes on as a GET without the body; 307 and 308 keep the method and body. A
 *   redirect to a scheme other than http(s), a 21st redirect, or a URL with credentials in it (as
 *   fetch refuses) is a network error.
 * - `withCredentials` changes nothing: Node has no cookie jar; send cookies with `withRequest` and `addHeaders`.
 * - Proxies: give an `agent` (one, or a function of the URL).
 *
 * @example
 * import { EventSource } from '@ssekit/polyfill'
 * import { createNodeTransport } from '@ssekit/polyfill/node'
 * const transport = createNodeTransport({ agent: (url) => (url.hostname === 'internal' ? undefined : proxyAgent) })
 * const source = new EventSource('https://example.com/events', { transport })
 */
export function createNodeTransport(options: NodeTransportOptions = {}): Transport {
  const agentOption = options.agent
  return (request, handlers) => {
    let live = true
    let current: ClientRequest | undefined
    let response: IncomingMessage | undefined
    let decoders: Transform[] = []
    // The network error that broke the body off while the decompressors still held some of it.
    let broken: unknown
    let headers = requestHeaders(request.headers)
    let method = request.method
    let body: string | Uint8Array | undefined
    // The URL, not the request: the request's own headers object need not outlive this call.
    const firstUrl = request.url
    const refuseRedirects = request.redirect === 'error'

    const destroy = () => {
      if (current) current.destroy()
      if (response) response.destroy()
      for (const decoder of decoders) decoder.destroy()
    }
    const fail = (cause: unknown) => {
      if (!live) return
      live = false
      destroy()
      handlers.error(cause)
    }
    // A body that breaks off. The decompressors work off the main thread: bytes that arrived before
    // the break may not have come out of them yet. End them instead, so that their text is passed on
    // before the error, as it is for a body without Content-Encoding.
    const lose = (cause: unknown) => {
      if (!decoders.length) return fail(cause)
      if (broken) return
      broken = cause
      decoders[0]!.end()
    }

    const receive = (res: IncomingMessage, url: string) => {
      response = res
      const reader = headerReader(res.headers)
      handlers.response({
        status: res.statusCode!,
        statusText: res.statusMessage || '',
        contentType: reader.get('content-type') || '',
        url,
        headers: reader,
      })
      if (!live) return
      // A socket that closes or resets before the message is complete errors the response ("aborted").
      res.on('error', lose)
      decoders = contentDecoders(res.headers['content-encoding'])
      let body: Readable = res
      for (const decoder of decoders) {
        decoder.on('error', fail)
        body = body.pipe(decoder)
      }
      // The spec's UTF-8 decode, as in the fetch transport: characters split between chunks decode
      // whole, invalid bytes become U+FFFD, one leading BOM is dropped.
      const decoder = new Utf8Stream()
      body.on('data', (chunk: Buffer) => {
        if (!live) return
        const text = decoder.decode(chunk)
        if (text) handlers.text(text)
      })
      body.on('end', () => {
        if (!live) return
        if (broken) return fail(broken)
        const rest = decoder.end()
        if (rest) handlers.text(rest)
        if (!live) return
        live = false
        handlers.end('eof')
      })
    }

    const open = (url: URL, redirects: number) => {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(networkError(`cannot fetch a ${url.protocol} URL`))
      if (url.username || url.password) return fail(networkError('a URL with credentials is refused, as fetch refuses it'))
      let req: ClientRequest
      try {
        const agent = typeof agentOption === 'function' ? agentOption(url) : agentOption
        req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, agent })
      } catch (cause) {
        // An invalid header value, an agent for the other protocol, or an agent function that threw
        // (here in a microtask or a response listener, where it would be an uncaught exception).
        return fail(cause)
      }
      current = req
      // A string, not the URL: an idle connection keeps these listeners, and what they hold, for hours
      // (the origin too, so it is worked out again on a redirect only).
      const href = url.href
      // fetch's response URL has no fragment.
      const responseUrl = url.hash ? href.slice(0, href.length - url.hash.length) : href
      // Node 20 reports a body that breaks off on the response, Node 24 (a reset) on the request.
      req.on('error', (cause) => {
        if (req === current) lose(cause)
      })
      req.on('response', (res) => {
        if (!live || req !== current) {
          res.destroy()
          return
        }
        const location = res.headers.location
        if (!REDIRECT_STATUS[res.statusCode!] || location === undefined) return receive(res, responseUrl)
        // HTTP-redirect fetch: the redirect's own body is never read.
        res.destroy()
        let next: URL
        try {
          // Node gives header values one character per byte; fetch (undici, as browsers) reads the
          // Location bytes as UTF-8.
          next = new URL(Buffer.from(location, 'latin1').toString(), href)
        } catch (cause) {
          return fail(cause)
        }
        if (redirects >= MAX_REDIRECTS) return fail(networkError(`more than ${MAX_REDIRECTS} redirects`))
        if (refuseRedirects) return fail(networkError(`a redirect to ${next.href} was refused (redirect: 'error')`))
        if (next.origin !== new URL(href).origin) headers = without(headers, CREDENTIAL_HEADERS)
        // HTTP-redirect fetch step 12: a 303 of anything but HEAD, or a 301/302 of a POST, goes on as a GET without its body.
        const status = res.statusCode!
        if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
          method = 'GET'
          body = undefined
          headers = without(headers, BODY_HEADERS)
        }
        open(next, redirects + 1)
      })
      req.end(body)
    }

    // Started a microtask later, so that even a URL or header Node refuses fails asynchronously, as
    // fetch does, after the source holds the abort function.
    queueMicrotask(() => {
      if (!live) return
      let first: URL
      try {
        first = new URL(firstUrl)
        body = nodeBody(request.body)
      } catch (cause) {
        return fail(cause)
      }
      open(first, 0)
    })

    return () => {
      if (!live) return
      live = false
      destroy()
    }
  }
}

/**
 * The node transport with Node's global agents: the default under Node (the `node` export condition);
 * give it yourself where another entry was loaded:
 *
 * @example
 * import { EventSource } from '@ssekit/polyfill'
 * import { nodeTransport } from '@ssekit/polyfill/node'
 * const source = new EventSource('https://example.com/events', { transport: nodeTransport })
 */
export const nodeTransport: Transport = createNodeTransport()
