// `@ssekit/client/polyfilled`, and what `@ssekit/client` is under Node (the `node` condition): the
// same exports, with a `connect()` that brings the polyfill where the platform has no
// `EventSource` or an option needs it (headers, method, body, fetch, polyfill).
import { createClient, type Connect } from './client.ts'
import { polyfillKit } from './polyfill-request.ts'
import { optionChecks } from './validate.ts'

export * from './index.ts'

/**
 * Opens a typed Server-Sent Events connection, over the platform's `EventSource` where it serves,
 * else over `@ssekit/polyfill`, onto whose seams the options map: `headers` (a function of the
 * attempt, may be async), `method`, `body`, `requestUrl`, `fetch`, `lastEventIdQueryParam`,
 * `polyfill: { heartbeatTimeout, maxEventBytes, transport }`.
 *
 * @example
 * const answer = connect<{ message: { choices: { delta: { content?: string } }[] } }>(url, {
 *   method: 'POST',
 *   headers: async () => ({ Authorization: `Bearer ${await getToken()}`, 'Content-Type': 'application/json' }),
 *   body: JSON.stringify({ model, messages, stream: true }),
 *   decode: 'json',
 *   terminator: { data: '[DONE]' },
 * })
 * for await (const { data } of answer) process.stdout.write(data.choices[0]?.delta.content ?? '')
 */
export const connect: Connect = (url: string | URL, options?: object) => createClient(url, options, polyfillKit, optionChecks())
