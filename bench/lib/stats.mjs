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

/**
 * The throughput table of paired runs: `runs[workload][row]` lists `{ round, ms }` or `{ round,
 * failed }`. Per workload and row: the ratios to the same round's `limit` row, their median, the
 * median milliseconds and MB/s (`bytes[workload]`), and the failures.
 */
export function tabulate(runs, bytes) {
  const table = {}
  for (const [workload, byRow] of Object.entries(runs)) {
    table[workload] = {}
    const limit = Object.fromEntries((byRow.limit || []).filter((run) => run.ms !== undefined).map((run) => [run.round, run.ms]))
    for (const [row, list] of Object.entries(byRow)) {
      const ok = list.filter((run) => run.ms !== undefined)
      const ratios = ok.filter((run) => limit[run.round] !== undefined).map((run) => run.ms / limit[run.round])
      const ms = ok.length ? median(ok.map((run) => run.ms)) : null
      table[workload][row] = {
        ratio: ratios.length ? median(ratios) : null,
        ms,
        mbps: ok.length ? bytes[workload] / 1e6 / (ms / 1000) : null,
        ratios,
        msByRound: Object.fromEntries(ok.map((run) => [run.round, run.ms])),
        failures: list.filter((run) => run.failed).map((run) => run.failed),
      }
    }
  }
  return table
}
