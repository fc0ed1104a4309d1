import type { NormalizedOptions } from '../options.ts'
import { fetchTransport, fetchStreams } from './fetch.ts'
import type { Transport } from './types.ts'
import { xhrTransport } from './xhr.ts'

/** The platform's own default, registered by a platform entry (`index.node.ts`); none in browsers. */
let platformTransport: Transport | undefined

/**
 * Makes `transport` what `'auto'` picks from now on. Only the Node entry of the package calls it
 * (with the node transport), so that no browser build carries, or even imports, Node's modules.
 */
export function setPlatformTransport(transport: Transport): void {
  platformTransport = transport
}

/**
 * Picks the transport for a source: the one forced by the options (a `fetch` option forces fetch),
 * else the platform's registered default (Node: the node transport), else fetch where the platform
 * can stream a response body, else XMLHttpRequest (IE10/11-class browsers).
 */
export function chooseTransport(options: NormalizedOptions): Transport {
  const wanted = options.transport
  if (typeof wanted === 'function') return wanted
  if (wanted === 'fetch' || options.fetch) return fetchTransport
  if (wanted === 'xhr') return xhrTransport
  if (platformTransport) return platformTransport
  return fetchStreams() ? fetchTransport : xhrTransport
}
