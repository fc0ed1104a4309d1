// Every check of `connect()`'s options, in one place. The entries run it except in a production
// bundle (where the bundler makes `process.env.NODE_ENV` 'production'), so an app's bundle carries
// none of it; in the builds for Node, Deno, Bun and workers it always runs (see optionChecks). A bad
// option is a `TypeError` naming it.
import { checkFields, checkValue, fits, isNumber, type Rule } from './check.ts'
import type { ConnectOptions, PolyfillOptions } from './options.ts'
import type { RetryPolicy } from './reconnect.ts'

declare const process: { env: { NODE_ENV?: string } }

/** Whole numbers of attempts ≥ 0, `Infinity` included: the `retry` shorthand and `maxAttempts`. */
const attempts = (n: unknown) => isNumber(n) && n >= 0 && (n % 1 === 0 || n === Infinity)
const ms: Rule = ['a finite number of ms ≥ 0', (n) => isNumber(n) && n >= 0 && n < Infinity]

/** What the `retry` option must be. */
const RETRY: Rule = ['an object, a whole number of attempts ≥ 0 or false', (value) => value === false || attempts(value) || fits(value, 'object')]

/** What each field of a `retry` object must be. */
const RETRY_FIELDS: { [K in keyof RetryPolicy]: Rule } = {
  initialDelay: ms,
  maxDelay: ms,
  factor: ['a finite number ≥ 1', (n) => isNumber(n) && n >= 1 && n < Infinity],
  jitter: ['a number from 0 to 1', (n) => isNumber(n) && n >= 0 && n <= 1],
  maxAttempts: ['a whole number ≥ 0 or Infinity', attempts],
  resetAfter: ms,
  retryAfter: 'a boolean',
  shouldReconnect: 'a function',
}

const FUNCTION = 'a function'

/** What each option must be; see {@link Rule}. */
const RULES: { [K in keyof ConnectOptions<object>]-?: Rule } = {
  decode: "'text', 'json' or a function",
  schemas: 'an object',
  events: ['an array of event types', (value) => fits(value, 'object') && typeof value.length === 'number'],
  terminator: ['an event type or { type?, data }', (value) => typeof value === 'string' || (fits(value, 'object') && typeof value.data === 'string')],
  endOfStream: "'done' or 'reconnect'",
  retry: RETRY,
  backend: "'auto', 'native', 'polyfill' or an EventSource constructor function",
  withCredentials: 'a boolean',
  headers: 'an object or a function',
  method: 'a string',
  body: 'a string, an object or a function',
  requestUrl: FUNCTION,
  fetch: FUNCTION,
  polyfill: 'an object',
  // It goes in a header or a query whatever the backend: checked here, not only where the polyfill would.
  lastEventId: ['a string without NUL, CR or LF', (value) => typeof value === 'string' && !/[\0\r\n]/.test(value)],
  lastEventIdQueryParam: ['a non-empty string or false', (value) => value === false || (typeof value === 'string' && value !== '')],
  pauseWhenHidden: 'a boolean',
  bufferSize: ['a whole number ≥ 1', (n) => isNumber(n) && n >= 1 && n % 1 === 0],
  signal: ['an AbortSignal', (value) => fits(value, 'object') && typeof value.aborted === 'boolean' && typeof value.addEventListener === 'function'],
  onOpen: FUNCTION,
  onReconnecting: FUNCTION,
  onGiveUp: FUNCTION,
  onError: FUNCTION,
  onClose: FUNCTION,
}

const POLYFILL_RULES: { [K in keyof PolyfillOptions]-?: Rule } = {
  heartbeatTimeout: ['a number of ms from 1 to 2^31 − 1', (n) => isNumber(n) && n >= 1 && n < 2147483648],
  maxEventBytes: ['a number > 0 (Infinity: no cap)', (n) => isNumber(n) && n > 0],
  transport: 'a transport function',
}

const SCHEMA: Rule = ['a Standard Schema', (schema) => !!schema && !!schema['~standard'] && typeof schema['~standard'].validate === 'function']

/** Throws the `TypeError` of the first bad option of `connect()`: its name, what it must be, what it was. */
export function checkOptions(options: ConnectOptions<object> | undefined): void {
  if (options === undefined) return
  checkValue('options', 'an object', options)
  checkFields(options, RULES, '')
  const { schemas, events, polyfill, retry } = options as { [option: string]: any }
  if (schemas) Object.keys(schemas).forEach((type) => schemas[type] === undefined || checkValue(`schemas.${type}`, SCHEMA, schemas[type]))
  if (events) for (let i = 0; i < events.length; i++) checkValue(`events[${i}]`, 'a string', events[i])
  if (polyfill) checkFields(polyfill, POLYFILL_RULES, 'polyfill.')
  if (typeof retry === 'object') checkFields(retry, RETRY_FIELDS, 'retry.')
}

/**
 * {@link checkOptions}, except in a production bundle: there the bundler (esbuild, Vite, webpack)
 * makes `process.env.NODE_ENV` the string 'production' and drops the checks as dead code, as React
 * and Vue do with their development warnings. Read when `connect()` runs. Only the `browser` builds
 * keep the expression (rollup.config.ts, `nodeEnv`): the others make it `'development'` and always
 * check, since Deno refuses a read of the environment it was not allowed and a worker or a page
 * without a bundler has no `process`.
 */
export const optionChecks = () => (process.env.NODE_ENV !== 'production' ? checkOptions : undefined)
