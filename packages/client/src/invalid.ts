/** Throws the `TypeError` of a bad `connect()` option: its name, what it must be, and what it was. */
export function invalid(option: string, expected: string, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'function' ? 'a function' : String(value)
  throw new TypeError(`ssekit connect(): option \`${option}\` must be ${expected}, got ${shown}`)
}
