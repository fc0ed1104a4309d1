// Small statistics for paired runs.

/** The median of a list of numbers (NaN for an empty list). */
export function median(values) {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Round-robin order for round `round`: each row runs first in some round, so drift hits all alike. */
export function rotate(list, round) {
  const shift = round % list.length
  return [...list.slice(shift), ...list.slice(0, shift)]
}
