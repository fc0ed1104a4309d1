// Every TypeError message of `connect()`, in one place: what is wrong, with which option, and how to fix it.

const CONNECT = 'ssekit connect(): '

/** Throws the `TypeError` of a bad `connect()` option: its name, what it must be, and what it was. */
export function invalid(option: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : String(value)
  return misuse(`option \`${option}\` must be ${expected}, got ${shown}`)
}

/** Throws the `TypeError` of a `connect()` misuse, `message` saying what and how to fix it. */
export function misuse(message: string): never {
  throw new TypeError(CONNECT + message)
}

/** Throws the `TypeError` of a use that needs the polyfill: `what`, then the import that brings it. */
export function needsPolyfill(what: string): never {
  return misuse(`${what} import { connect } from '@ssekit/client/polyfilled'`)
}

/**
 * Options people reach for under another name, or at another level, by the name they belong under
 * (`prefix` + key as given: `heartbeatTimeout` belongs in `polyfill`).
 */
const MEANT: { [given: string]: string } = {
  heartbeatTimeout: 'polyfill.heartbeatTimeout',
  maxEventBytes: 'polyfill.maxEventBytes',
  transport: 'polyfill.transport',
  xhrRecycleAfter: 'polyfill.transport',
  'polyfill.xhrRecycleAfter': 'polyfill.transport',
  maxRetries: 'retry.maxAttempts',
  maxAttempts: 'retry.maxAttempts',
  'retry.maxRetries': 'retry.maxAttempts',
  'retry.retries': 'retry.maxAttempts',
  'retry.delay': 'retry.initialDelay',
}

/** Whether `a` becomes `b` by at most two edits (insert, delete, replace), case aside. */
function near(a: string, b: string): boolean {
  a = a.toLowerCase()
  b = b.toLowerCase()
  let row = b.split('').map((_, j) => j + 1)
  for (let i = 0; i < a.length; i++) {
    let diagonal = i
    let left = i + 1
    const next = row.map((up, j) => (left = Math.min(up + 1, left + 1, diagonal + (a[i] === b[j] ? 0 : 1)), (diagonal = up), left))
    row = next
  }
  return (row[b.length - 1] ?? a.length) <= 2
}

/**
 * Throws the `TypeError` of an unknown key (`prefix` + `key`, not in `known`), naming, for a near
 * miss, the key meant (`heartbeatTimeout` → `polyfill.heartbeatTimeout`, `retry.maxRetries` →
 * `retry.maxAttempts`, `onopen` → `onOpen`).
 */
export function unknownOption(prefix: string, key: string, known: string[]): never {
  const given = prefix + key
  // Own keys only: `toString` is not a key people mean.
  const meant = (Object.prototype.hasOwnProperty.call(MEANT, given) && MEANT[given]) || known.filter((other) => near(key, other)).map((other) => prefix + other)[0]
  return misuse(`unknown option \`${given}\`${meant ? `: did you mean \`${meant}\`?` : ''}`)
}
