/**
 * True when `text` ends exactly between two events: its last line terminator ends a blank line.
 * CR LF counts as one terminator, so a trailing lone CR is never a boundary (an LF may follow).
 * Only the last three characters matter; a blank line at the very start of a stream is not counted.
 *
 * @example
 * endsAtEventBoundary('data: x\n\n') // true
 * endsAtEventBoundary('data: x\r\n') // false
 */
export function endsAtEventBoundary(text: string): boolean {
  const n = text.length
  if (n < 2 || text.charAt(n - 1) !== '\n') return false
  const before = text.charAt(n - 2)
  if (before === '\n') return true
  if (before !== '\r' || n < 3) return false
  const third = text.charAt(n - 3)
  return third === '\n' || third === '\r'
}
