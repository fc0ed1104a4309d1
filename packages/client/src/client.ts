import { resolveBackend, type PolyfillKit } from './backend.ts'
import { createConnection } from './connection.ts'
import type { EventsOf, SchemaMap } from './decode.ts'
import { misuse } from './invalid.ts'
import { normalizeOptions, type ConnectOptions } from './options.ts'
import type { SSEClient } from './types.ts'

/**
 * `connect()`'s signature: give the event map as a type argument, or let `schemas` (zod, valibot,
 * any Standard Schema) give it; without either, every event is a `string`, or `unknown` with
 * `decode: 'json'`.
 */
export interface Connect {
  <Schemas extends SchemaMap>(url: string | URL, options: ConnectOptions<NoInfer<EventsOf<Schemas>>> & { schemas: Schemas }): SSEClient<EventsOf<Schemas>>
  (url: string | URL, options: ConnectOptions<Record<string, unknown>> & { decode: 'json'; schemas?: undefined }): SSEClient<Record<string, unknown>>
  <Events extends object = Record<string, string>>(url: string | URL, options?: ConnectOptions<NoInfer<Events>>): SSEClient<Events>
}

/**
 * Opens a client: checks the URL and, where the entry gives `check` (`checkOptions`), the options;
 * settles the backend (`kit`: the polyfill, where the entry brings it) and starts the connection.
 */
export function createClient(
  url: string | URL,
  options: ConnectOptions<any> | undefined,
  kit: PolyfillKit | undefined,
  check: ((options: ConnectOptions<any> | undefined) => void) | undefined,
): SSEClient<any> {
  if (typeof url !== 'string' && !(url && typeof url === 'object' && typeof url.href === 'string')) misuse(`\`url\` must be a string or a URL, got ${String(url)}`)
  if (check) check(options)
  const o = normalizeOptions(options)
  return createConnection(String(url), o, resolveBackend(o, kit))
}
