import type { Transport } from './transport/types.ts'

/**
 * The second constructor argument. `withCredentials` is the spec's; every other field is an
 * extension, and leaving them all out gives exactly the spec's behaviour, but for the event size cap.
 */
export interface EventSourceOptions {
  /** Send cookies and credentials cross-origin (`credentials: 'include'`). @default false */
  withCredentials?: boolean
  /** extension: resume from this id: it is sent as `Last-Event-ID` on the first connection too. @default '' */
  lastEventId?: string
  /**
   * extension: the largest event the source accepts, in UTF-16 code units of decoded text (bytes,
   * for ASCII): a larger one closes the source with an `event-too-large` error instead of eating
   * memory. Counted after decompression, so a compressed stream cannot multiply it. `Infinity`
   * turns the cap off.
   * @default 4_194_304 (4 MiB)
   */
  maxEventBytes?: number
  /**
   * extension: the transport: `withRequest(step)` for per-attempt requests (headers, POST bodies,
   * tokens), `withHeartbeat(ms)`, `createFetchTransport(fetch)`, `fetchTransport`, `xhrTransport`
   * (`/legacy`), `nodeTransport` (`/node`), or your own.
   * @default the platform's: node:http under the `node` condition, fetch in browsers,
   * XMLHttpRequest where fetch cannot stream (`/legacy` and the script tags)
   */
  transport?: Transport
}

/** 4 MiB: far above any event a real stream sends, far below what would hurt a tab or a service. */
const DEFAULT_MAX_EVENT_BYTES = 4194304

/** Throws the `TypeError` of a bad option: its name, what it must be, and what it was. */
function invalid(option: string, expected: string, value: unknown): never {
  throw new TypeError(`EventSource: option \`${option}\` must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
}

/**
 * Validates the second constructor argument into `[withCredentials, lastEventId, maxEventBytes
 * (undefined: no cap), transport]`; a bad option throws a `TypeError` that names it. Each option is
 * read once, as WebIDL reads a dictionary, so a getter cannot pass a check with one value and hand
 * over another.
 */
export function readOptions(init: EventSourceOptions | undefined | null): [boolean, string, number | undefined, Transport | undefined] {
  const o: EventSourceOptions = init || {}
  if (typeof o !== 'object') invalid('eventSourceInitDict', 'an object', o)
  const id = o.lastEventId
  const max = o.maxEventBytes
  const transport = o.transport
  if (id !== undefined) {
    // A header value cannot carry NUL, CR or LF (an id from the stream never holds them), nor UTF-8 encode a lone surrogate.
    try {
      if (typeof id !== 'string' || /[\0\r\n]/.test(id)) throw id
      encodeURIComponent(id)
    } catch {
      invalid('lastEventId', 'a string without NUL, CR, LF or a lone surrogate', id)
    }
  }
  if (max !== undefined && !(typeof max === 'number' && max > 0)) invalid('maxEventBytes', 'a number > 0 (Infinity: no cap)', max)
  if (transport !== undefined && typeof transport !== 'function') invalid('transport', 'a transport function', transport)
  return [!!o.withCredentials, id || '', max === undefined ? DEFAULT_MAX_EVENT_BYTES : max === Infinity ? undefined : max, transport]
}
