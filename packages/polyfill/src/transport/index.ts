import type { NormalizedOptions } from '../options.ts'
import { fetchTransport, fetchStreams } from './fetch.ts'
import type { Transport } from './types.ts'
import { xhrTransport } from './xhr.ts'

/**
 * Picks the transport for a source: the one forced by the options, else fetch where the platform can
 * stream a response body, else XMLHttpRequest (IE10/11-class browsers).
 */
export function chooseTransport(options: NormalizedOptions): Transport {
  const wanted = options.transport
  if (typeof wanted === 'function') return wanted
  if (wanted === 'fetch' || options.fetch) return fetchTransport
  if (wanted === 'xhr') return xhrTransport
  return fetchStreams() ? fetchTransport : xhrTransport
}
