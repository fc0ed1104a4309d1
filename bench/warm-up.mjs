// How much of a row's time is its code warming up: each timed run of `pnpm bench` is the first run of
// that code in a fresh process, so a row whose per-event path has more functions for the JIT to
// optimise pays for it there. This runs rows over the benchmark's server as `pnpm bench` does, each
// in a fresh process, then runs the same workload once more in that process, and prints both medians.
//   node bench/warm-up.mjs   (BENCH_ROWS, default floor,polyfill; BENCH_WORKLOADS, default tokens,custom;
//                             BENCH_ROUNDS, default 7)
import { runChild, startServer } from './lib/child.mjs'
import { checkResult, ROWS } from './lib/rows.mjs'
import { median, rotate } from './lib/stats.mjs'
import { resolveTargets } from './lib/targets.mjs'

const list = (value, fallback) => (value ? value.split(',') : fallback)
const rows = list(process.env.BENCH_ROWS, ['floor', 'polyfill'])
const workloads = list(process.env.BENCH_WORKLOADS, ['tokens', 'custom'])
const rounds = Number(process.env.BENCH_ROUNDS || 7)

const targets = await resolveTargets()
const server = await startServer({ scale: 1, workloads })
const { modules } = targets
try {
  console.log(`Node ${process.version}, ${rounds} fresh processes per row and workload: median ms of the first run and of the second`)
  for (const workload of workloads) {
    const times = Object.fromEntries(rows.map((row) => [row, { first: [], second: [] }]))
    for (let round = 0; round < rounds; round++) {
      for (const row of rotate(rows, round)) {
        const job = { row, url: `${server.origin}/w/${workload}`, ping: `${server.origin}/ping`, type: server.expected[workload].type, modules, again: true }
        const message = await runChild('./worker.mjs', job, { timeout: 90_000 })
        // Both runs are checked as the benchmark checks its one: a row that lost events is no faster.
        const wrong = message.ok ? checkResult(ROWS[row].checks, message.result, server.expected[workload]) || checkResult(ROWS[row].checks, message.again.result, server.expected[workload]) : message.error
        if (wrong) throw new Error(`${row} on ${workload}: ${wrong}`)
        times[row].first.push(message.ms)
        times[row].second.push(message.again.ms)
      }
    }
    for (const row of rows) {
      console.log(`${workload.padEnd(9)} ${row.padEnd(12)} first ${median(times[row].first).toFixed(1)}  second ${median(times[row].second).toFixed(1)}`)
    }
  }
} finally {
  server.process.kill()
}
