import type { NormalizedOptions } from '../options.ts'
import { platform } from '../platform.ts'
import { fetchStreams, fetchTransport } from './fetch.ts'
import type { Transport } from './types.ts'

const LEGACY = 'load @ssekit/polyfill/legacy (or ssekit-polyfill.min.js) for the XMLHttpRequest transport'

/**
 * Picks the transport for a source: the one forced by the options (a `fetch` option forces fetch),
 * else the platform's default (Node: the node transport), else fetch where the platform can stream a
 * response body, else XMLHttpRequest (IE10/11-class browsers, legacy entry only).
 */
export function chooseTransport(options: NormalizedOptions): Transport {
  const wanted = options.transport
  if (typeof wanted === 'function') return wanted
  if (wanted === 'fetch' || options.attempt.fetch) return fetchTransport
  const xhr = platform.xhrTransport
  if (wanted === 'xhr') {
    if (!xhr) throw new TypeError(`EventSource: option \`transport\` is 'xhr', which this entry does not include: ${LEGACY}`)
    return xhr
  }
  if (platform.defaultTransport) return platform.defaultTransport
  if (fetchStreams()) return fetchTransport
  if (!xhr) throw new TypeError(`EventSource: fetch cannot stream a response here (it needs fetch, ReadableStream and TextDecoder): ${LEGACY}`)
  return xhr
}
