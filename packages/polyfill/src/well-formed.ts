/**
 * `text` with every lone surrogate replaced by U+FFFD, as UTF-8 encoding does. `encodeURIComponent`
 * throws a `URIError` on a lone surrogate, and an id given in the `lastEventId` option can hold one
 * (an id parsed from the stream cannot: the UTF-8 decode never makes one).
 */
export function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\uD800-\uDFFF]/g, (unit) => (unit.length === 2 ? unit : '\uFFFD'))
}
