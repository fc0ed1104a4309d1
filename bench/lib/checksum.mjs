// The per-event check every row computes: order-sensitive, O(1) per event (length plus three sampled
// characters), so a 1 MB event costs the same as a 30 B one and the check never dominates the timing,
// yet a lost, duplicated, truncated or mis-joined event changes it.

/** Start value of a checksum. */
export const SEED = 0x811c9dc5

/** Folds one event's data into checksum `h` (FNV-1a style over length and samples). */
export function mix(h, data) {
  const n = data.length
  h = Math.imul(h ^ n, 0x01000193)
  if (n > 0) {
    h = Math.imul(h ^ data.charCodeAt(0), 0x01000193)
    h = Math.imul(h ^ data.charCodeAt(n >> 1), 0x01000193)
    h = Math.imul(h ^ data.charCodeAt(n - 1), 0x01000193)
  }
  return h >>> 0
}
