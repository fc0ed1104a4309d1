/**
 * Request headers, in any form `fetch` takes them: a plain object (its own keys), `[name, value]`
 * pairs, or a `Headers` (anything with its `forEach`).
 */
export type RequestHeaders = Record<string, string> | Array<[string, string]> | { forEach(callback: (value: string, name: string) => void): void }

/**
 * `given` as a plain object of names to values, as fetch reads it: values of one name (whatever its
 * case) are joined with `, `, and a pair that is not two items is a `TypeError`.
 */
export function headerRecord(given: RequestHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  // Each name in lower case, to the name its first value went under.
  const first: Record<string, string | undefined> = Object.create(null)
  const add = (value: string, name: string) => {
    // Caught here, with the header's name, not later as an attempt's network error.
    if (/[\0\r\n]/.test(value)) throw new TypeError(`the value of header ${JSON.stringify(name)} has a NUL, CR or LF, which no header can carry`)
    const key = name.toLowerCase()
    const under = first[key]
    if (under) out[under] += `, ${value}`
    else out[(first[key] = name)] = value
  }
  if (Array.isArray(given)) {
    given.forEach((pair) => {
      if (pair.length !== 2) throw new TypeError('a header must be a [name, value] pair')
      add(pair[1], pair[0])
    })
  } else if (typeof given.forEach === 'function') (given as { forEach(callback: typeof add): void }).forEach(add)
  // Own keys only: a page may have added some to Object.prototype.
  else Object.keys(given).forEach((name) => add((given as Record<string, string>)[name]!, name))
  return out
}

/**
 * Adds `given` (in any form fetch takes) to the headers of a request, in place: a name already there
 * in any case is replaced. For a `request` step.
 *
 * @example
 * new EventSource(url, { transport: withRequest((request) => addHeaders(request, { Authorization: `Bearer ${token}` })) })
 */
export function addHeaders(request: { headers: Record<string, string> }, given: RequestHeaders): void {
  const added = headerRecord(given)
  const headers = request.headers
  Object.keys(added).forEach((name) => {
    const key = name.toLowerCase()
    Object.keys(headers).forEach((old) => {
      if (old.toLowerCase() === key) delete headers[old]
    })
    headers[name] = added[name]!
  })
}

/** Whether `headers` has `name` (lower case), whatever the case of its keys. */
export function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}
