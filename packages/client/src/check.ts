import { invalid, unknownOption } from './invalid.ts'

/**
 * What an option must be: the text its `TypeError` says, which is also the test unless a function
 * is given: a value passes a text that names its `typeof` (`a function`) or quotes it (`'json'`).
 */
export type Rule = string | [expected: string, test: (value: any) => boolean]

/** Whether `expected` names the `typeof` of `value` or quotes it; `null` never passes. */
export function fits(value: unknown, expected: string): boolean {
  return value !== null && (expected.indexOf(typeof value) >= 0 || expected.indexOf("'" + String(value) + "'") >= 0)
}

/** Whether `value` is a number: a rule's test checks it first, as `'5' >= 0` holds. */
export const isNumber = (value: unknown): value is number => typeof value === 'number'

/** Throws the `TypeError` of `name` unless `value` passes `rule`. */
export function checkValue(name: string, rule: Rule, value: unknown): void {
  if (typeof rule === 'string' ? !fits(value, rule) : !rule[1](value)) invalid(name, typeof rule === 'string' ? rule : rule[0], value)
}

/**
 * Checks each own field of `given` against its rule in `rules` (`prefix` says where they sit:
 * `retry.`): an unknown key or a value that fails is a `TypeError` naming it; undefined passes.
 * Own keys only: a page may have added some to `Object.prototype`.
 */
export function checkFields(given: object, rules: { [field: string]: Rule }, prefix: string): void {
  const known = Object.keys(rules)
  Object.keys(given).forEach((field) => {
    const value = (given as { [field: string]: unknown })[field]
    if (known.indexOf(field) < 0) unknownOption(prefix, field, known)
    if (value !== undefined) checkValue(prefix + field, rules[field]!, value)
  })
}
