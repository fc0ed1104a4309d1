// Turns the results object of run.mjs into the markdown that is printed and written to results.md,
// including a verdict for each of issue 14's targets (and issue 5's memory, reconnect and size ones).
import { median } from './stats.mjs'

const KIB = 1024
const fixed = (value, digits) => (value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits))
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} KB`

/**
 * Issue 5's reference table: each library's time as a ratio to that issue's own ceiling, measured on
 * another setup (quoted from the issue, not measured here). The calibration paragraph sets this run's
 * figures for the same rows beside them.
 */
const ISSUE_5_REFERENCE = {
  parser: { tokens: 0.95, json: 1.16, large: 0.88, multiline: 1.07, custom: 1.08 },
  eventsource5: { tokens: 1.9, json: 0.98, large: 0.92, multiline: 1.19, custom: 2.61 },
  'eventsource-client': { tokens: 1.0, json: 1.05, large: 1.16, multiline: 0.98, custom: 1.16 },
  'fetch-event-source': { tokens: 3.58, json: 2.1, large: 1.59, multiline: 2.97, custom: 3.57 },
}
const REFERENCE_NAMES = { parser: 'eventsource-parser alone', eventsource5: 'eventsource 5', 'eventsource-client': 'eventsource-client', 'fetch-event-source': '@microsoft/fetch-event-source' }

/**
 * One paragraph: this run's ratios for issue 5's reference rows (to the old ceiling, as that issue
 * measured them) against the issue's, on the first Node the throughput ran on — per row on the first workload, then per workload the median (and range)
 * over those rows of ours ÷ the issue's, i.e. how much stricter this ceiling is. Empty without such rows.
 */
export function calibration(results) {
  const [version, table] = Object.entries(results.throughput || {})[0] || []
  if (!table) return ''
  const ours = (w, row) => {
    const c = table[w] && table[w][row]
    return c && !c.failures.length ? paired(c, table[w].ceiling) : null
  }
  const workloads = Object.keys(table).filter((w) => ISSUE_5_REFERENCE.parser[w] !== undefined)
  const rows = Object.keys(ISSUE_5_REFERENCE).filter((row) => workloads.some((w) => ours(w, row) !== null))
  if (!workloads.length || !rows.length) return ''
  const first = workloads.find((w) => rows.some((row) => ours(w, row) !== null))
  const pairs = rows
    .filter((row) => ours(first, row) !== null)
    .map((row, i) => `${REFERENCE_NAMES[row]} ${ours(first, row).toFixed(2)}×${i ? '' : ' here'} vs ${ISSUE_5_REFERENCE[row][first].toFixed(2)}×${i ? '' : ' in the issue'}`)
  const factors = workloads
    .map((w) => {
      const quotients = rows.filter((row) => ours(w, row) !== null).map((row) => ours(w, row) / ISSUE_5_REFERENCE[row][w])
      if (!quotients.length) return null
      const spread = quotients.length > 1 ? ` (${Math.min(...quotients).toFixed(2)}–${Math.max(...quotients).toFixed(2)})` : ''
      return `${w} ${median(quotients).toFixed(2)}${spread}`
    })
    .filter(Boolean)
  return (
    `Calibration: issue 5's table was measured on another setup against its own ceiling, so its rows are run here too (Node ${version}). ` +
    `On ${first}: ${pairs.join(', ')}. ` +
    `Our ratio ÷ the issue's, median (lowest–highest) over ${rows.length === 1 ? 'that row' : `those ${rows.length} rows`}: ${factors.join(', ')}. ` +
    `That is how much stricter this ceiling is (below 1: looser); divide a figure here by it to set it beside the issue's table.`
  )
}

/** Median over the rounds both rows completed of a's time / b's time (a paired comparison). */
function paired(cellA, cellB) {
  if (!cellA || !cellB) return null
  const ratios = Object.keys(cellA.msByRound)
    .filter((round) => cellB.msByRound[round] !== undefined)
    .map((round) => cellA.msByRound[round] / cellB.msByRound[round])
  return ratios.length ? median(ratios) : null
}

function throughputTables(results, heading, table, labels = results.rows, described = results.workloads) {
  const workloads = Object.keys(table)
  const rows = Object.keys(table[workloads[0]])
  const columns = rows.filter((row) => row !== 'limit')
  const cell = (c) => {
    if (!c) return '—'
    if (c.ms === null) return `FAILED`
    const ratio = c.ratio === null ? '—' : `${c.ratio.toFixed(2)}×`
    return c.failures.length ? `${ratio} (${c.failures.length}/${c.failures.length + Object.keys(c.msByRound).length} FAILED)` : ratio
  }
  const out = []
  out.push(`### ${heading}: time relative to the limit (1.00× = the limit; lower is faster)`, '')
  out.push(`| workload | limit | ${columns.map((row) => labels[row]).join(' | ')} |`)
  out.push(`|---|---|${columns.map(() => '---').join('|')}|`)
  for (const w of workloads) {
    const limit = table[w].limit
    const base = limit && limit.ms !== null ? `${fixed(limit.ms, 0)} ms (${fixed(limit.mbps, 0)} MB/s)` : 'FAILED'
    out.push(`| ${w} (${described[w].describe}) | ${base} | ${columns.map((row) => cell(table[w][row])).join(' | ')} |`)
  }
  out.push('', `Milliseconds per run, median (fastest–slowest) of the same runs — the spread is this machine's noise:`, '')
  out.push(`| workload | ${rows.map((row) => row).join(' | ')} |`)
  out.push(`|---|${rows.map(() => '---:').join('|')}|`)
  const spread = (c) => {
    const all = Object.values(c.msByRound)
    return all.length ? `${fixed(c.ms, 0)} (${fixed(Math.min(...all), 0)}–${fixed(Math.max(...all), 0)})` : '—'
  }
  for (const w of workloads) out.push(`| ${w} | ${rows.map((row) => spread(table[w][row])).join(' | ')} |`)
  const failures = []
  for (const w of workloads) for (const row of rows) for (const f of table[w][row].failures) failures.push(`- ${w} / ${row}: ${f}`)
  if (failures.length) out.push('', 'Failed runs (output check or crash; not timed):', '', ...failures)
  return out
}

function memoryTable(memory) {
  const out = ['| variant | heap+external per open connection | RSS per open connection | heap+external per connection after close() |', '|---|---:|---:|---:|']
  for (const [variant, m] of Object.entries(memory)) {
    if (m.failed) out.push(`| ${variant} | FAILED: ${m.failed} | | |`)
    else out.push(`| ${variant} | ${fixed(m.open.heapExternal / KIB, 1)} KiB | ${fixed(m.open.rss / KIB, 1)} KiB | ${fixed(m.afterClose.heapExternal / KIB, 2)} KiB |`)
  }
  return out
}

function reconnectTable(reconnect) {
  const out = ['| client | median overshoot | min | max | reconnections |', '|---|---:|---:|---:|---:|']
  for (const [variant, r] of Object.entries(reconnect)) {
    if (r.failed) out.push(`| ${variant} | FAILED: ${r.failed} | | | |`)
    else out.push(`| ${variant} | ${fixed(r.median, 2)} ms | ${fixed(r.min, 2)} ms | ${fixed(r.max, 2)} ms | ${r.n} |`)
  }
  return out
}

/** The size tables (published entries, budgets, what the budgeted bundles are made of) as markdown. */
export function renderSizes(sizes) {
  return sizeTables(sizes).join('\n')
}

function sizeTables(sizes) {
  const out = []
  if (sizes.distMissing.length) out.push(`dist absent for: ${sizes.distMissing.join(', ')} (run \`pnpm build\`).`, '')
  if (sizes.entries.length) {
    out.push('| published file | raw | min (esbuild) | min+gzip | min+brotli |', '|---|---:|---:|---:|---:|')
    for (const e of sizes.entries) out.push(`| ${e.file} | ${e.raw} B | ${e.min} B | ${e.gzip} B | ${e.brotli} B |`)
    out.push('')
  }
  out.push('| budgeted bundle | min | min+gzip | min+brotli | target (gzip) | CI ceiling (gzip) | verdict |', '|---|---:|---:|---:|---:|---:|---|')
  for (const b of sizes.budgets) {
    if (b.missing) out.push(`| ${b.name} | — | — | — | ${b.target === undefined ? '—' : kb(b.target)} | ${kb(b.budget)} | not measured: ${b.missing} |`)
    else {
      const from = b.from === 'src' ? ' (estimate from src: dist absent)' : ''
      const verdict = b.gzip > b.budget ? 'OVER the ceiling' : b.target === undefined ? 'within ceiling (no target)' : b.gzip <= b.target ? 'target met' : 'target missed, within ceiling'
      out.push(`| ${b.name}${from} | ${b.min} B | ${b.gzip} B (${kb(b.gzip)}) | ${b.brotli} B | ${b.target === undefined ? '—' : kb(b.target)} | ${kb(b.budget)} | ${verdict} |`)
    }
  }
  if (sizes.references && sizes.references.length) {
    out.push('', 'The field, bundled the same way (esbuild, browser, ES2018, minified; a shipped `.min.js` as it is), beside what issue 5 quotes:', '')
    out.push('| bundle | min | min+gzip | min+brotli | issue 5 says |', '|---|---:|---:|---:|---:|')
    for (const r of sizes.references) {
      const said = r.issue ? kb(r.issue) : '—'
      out.push(r.missing ? `| ${r.name} | — | — | — | ${said} (not measured: ${r.missing}) |` : `| ${r.name} | ${r.min} B | ${r.gzip} B (${kb(r.gzip)}) | ${r.brotli} B | ${said} |`)
    }
  }
  for (const b of sizes.budgets) {
    if (!b.composition) continue
    out.push('', `What the ${b.name} bundle is made of (minified bytes per source module, bundled from src, before compression):`, '')
    out.push(b.composition.map((part) => `${part.input} ${part.bytes} B`).join(' · '))
  }
  return out
}

/** Issue 14's Chromium targets, as [target, figure, met] (none without a Chromium section). */
function chromiumTargets(chromium) {
  if (!chromium) return []
  const { version, table } = chromium
  const out = []
  const ratio = (w, row) => {
    const c = table[w] && table[w][row]
    return c && c.ratio !== null && !c.failures.length ? c.ratio : null
  }
  for (const [w, limit] of [
    ['chromium-tokens', 4],
    ['chromium-json', 1.3],
  ]) {
    const r = ratio(w, 'polyfill-esm')
    if (r !== null) out.push([`Chromium ${version}: polyfill ESM build ≤ ${limit.toFixed(1)}× the in-page limit on ${w}`, `${r.toFixed(2)}×`, atMost(r, limit)])
  }
  for (const w of Object.keys(table)) {
    const client = paired(table[w]['client-polyfill'], table[w]['polyfill-esm'])
    if (client !== null) out.push([`Chromium ${version}: client over the ESM polyfill ≤ 1.2× the polyfill on ${w}`, `${client.toFixed(3)}× (paired median)`, atMost(client, 1.2)])
    const es5 = paired(table[w]['polyfill-es5'], table[w]['polyfill-esm'])
    if (es5 !== null) out.push([`Chromium ${version}: ES5 bundle within 1.3× of the ESM build on ${w}`, `${es5.toFixed(3)}× (paired median)`, atMost(es5, 1.3)])
  }
  return out
}

/** A verdict on "at most `limit`", with a tie band of 2% either way (this machine's noise is larger). */
const atMost = (value, limit) => (value <= limit / 1.02 ? true : value > limit * 1.02 ? false : 'tie')

/** Each target of issue 14 (and issue 5's memory, reconnect and size ones) that this run measured. */
export function targets(results) {
  const verdicts = []
  const add = (target, figure, met) => verdicts.push({ target, figure, met })
  for (const [version, table] of Object.entries(results.throughput || {})) {
    const cell = (w, row) => table[w] && table[w][row]
    const ratio = (w, row) => {
      const c = cell(w, row)
      return c && c.ratio !== null && !c.failures.length ? c.ratio : null
    }
    if (version.startsWith('v20.')) {
      // Node 20: level with or ahead of eventsource 5 everywhere (its events were always cheap there).
      for (const w of Object.keys(table)) {
        const r = paired(cell(w, 'polyfill-node'), cell(w, 'eventsource5'))
        if (r !== null) add(`Node ${version}: polyfill level with or ahead of eventsource 5 on ${w}`, `${r.toFixed(3)}× eventsource 5's time (paired median)`, atMost(r, 1))
      }
    } else {
      for (const [workloads, limit] of [
        [['tokens', 'custom'], 3.0],
        [['json', 'multiline'], 1.3],
        [['large'], 1.0],
      ]) {
        for (const w of workloads) {
          const r = ratio(w, 'polyfill-node')
          if (r !== null) add(`Node ${version}: polyfill ≤ ${limit.toFixed(1)}× the limit on ${w}`, `${r.toFixed(2)}×`, atMost(r, limit))
        }
      }
      for (const w of ['tokens', 'custom']) {
        const r = paired(cell(w, 'polyfill-node'), cell(w, 'eventsource5'))
        if (r !== null) add(`Node ${version}: polyfill ≤ 0.6× eventsource 5 on ${w}`, `${r.toFixed(3)}× (paired median)`, atMost(r, 0.6))
      }
    }
    for (const w of ['tokens', 'custom']) {
      const r = paired(cell(w, 'client'), cell(w, 'polyfill-node'))
      if (r !== null) add(`Node ${version}: client ≤ 1.10× the polyfill on ${w}`, `${r.toFixed(3)}× (paired median)`, atMost(r, 1.1))
    }
  }
  for (const [verdict, figure, met] of chromiumTargets(results.chromium)) add(verdict, figure, met)
  if (results.seconds !== undefined) add('`pnpm bench` under 5 minutes (this run; `pnpm build` not counted)', `${results.seconds.toFixed(0)} s`, results.seconds <= 300)
  const memory = results.memory
  if (memory && memory.polyfill && memory.fetch && !memory.polyfill.failed && !memory.fetch.failed) {
    const above = memory.polyfill.open.heapExternal - memory.fetch.open.heapExternal
    add('memory: polyfill ≤ 1.5 KiB per idle connection above a bare fetch stream', `${(above / KIB).toFixed(2)} KiB above (${(memory.polyfill.open.heapExternal / KIB).toFixed(1)} vs ${(memory.fetch.open.heapExternal / KIB).toFixed(1)} KiB)`, above <= 1.5 * KIB)
    // Node's fetch itself keeps ~3 KiB per closed stream for a while (it does not grow over cycles),
    // so "back to baseline" is judged against a bare fetch stream measured the same way.
    const left = memory.polyfill.afterClose.heapExternal - memory.fetch.afterClose.heapExternal
    add(
      'memory: back to baseline after close() (≤ 0.25 KiB per connection left beyond what a closed bare fetch stream leaves)',
      `${(left / KIB).toFixed(2)} KiB (${(memory.polyfill.afterClose.heapExternal / KIB).toFixed(2)} vs ${(memory.fetch.afterClose.heapExternal / KIB).toFixed(2)} KiB)`,
      left <= 0.25 * KIB,
    )
  }
  const reconnect = results.reconnect && results.reconnect.polyfill
  if (reconnect && !reconnect.failed) add('reconnect: polyfill median within 6 ms of `retry: 50`', `${reconnect.median.toFixed(2)} ms over`, Math.abs(reconnect.median) <= 6)
  for (const b of (results.sizes && results.sizes.budgets) || []) {
    if (b.target === undefined) continue
    if (b.missing) add(`size: ${b.name} ≤ ${kb(b.target)} min+gzip`, `not measured (${b.missing})`, false)
    else add(`size: ${b.name} ≤ ${kb(b.target)} min+gzip${b.from === 'src' ? ' (src estimate)' : ''}`, kb(b.gzip), b.gzip <= b.target)
  }
  return verdicts
}

/** The whole report as markdown. */
export function renderMarkdown(results) {
  const out = ['# ssekit benchmark results', '']
  out.push(`- date: ${results.date}`)
  out.push(`- Node: ${results.node}${results.throughput ? ` (throughput also on: ${Object.keys(results.throughput).filter((v) => v !== results.node).join(', ') || 'none'})` : ''}`)
  out.push(`- CPU: ${results.cpu}, ${results.cores} cores`)
  if (results.load) out.push(`- load average (1, 5, 15 min) at the start: ${results.load.start.map((l) => l.toFixed(2)).join(', ')}; at the end: ${results.load.end.map((l) => l.toFixed(2)).join(', ')}`)
  out.push(`- scale: ${results.settings.scale} (BENCH_SCALE), ${results.settings.rounds} paired rounds, each timed run in a fresh process; server in its own process on 127.0.0.1`)
  out.push(`- builds: ${results.builds.source === 'dist' ? 'packages/*/dist (the published ESM builds, copied to bench/.out/snapshot when the run starts)' : 'TypeScript sources bundled with esbuild (dist absent)'}`)
  for (const note of [...results.builds.notes, results.builds.clientNote].filter(Boolean)) out.push(`- note: ${note}`)
  out.push(`- whole run: ${fixed(results.seconds, 0)} s`, '')
  if (results.throughput) {
    out.push('## Throughput', '')
    out.push('Every run\'s output is checked (event count, data checksum, last id; the old ceiling: event count and decoded length); a run that fails its check is listed as failed and not timed. Ratios are per round against that round\'s limit, then the median over rounds.', '')
    out.push('The limit does what any SSE consumer must (fields recognised, values sliced, data joined, one callback per event that reads the data) on fetch; the old ceiling (lines cut, no field parsed, no event) and the floor (eventsource-parser, a native MessageEvent and a dispatch per event) are kept as references.', '')
    const calibrated = calibration(results)
    if (calibrated) out.push(calibrated, '')
    // Which Node passes ran each row (the `onePass` rows skip the second one, to keep the run short).
    const passes = (row) => Object.entries(results.throughput).filter(([, table]) => row in (Object.values(table)[0] || {})).map(([version]) => version)
    const notes = Object.entries(results.rowNotes || {}).filter(([row]) => passes(row).length)
    const only = (row) => (passes(row).length < Object.keys(results.throughput).length ? ` Run on Node ${passes(row).join(', ')} only, to keep the whole benchmark under 5 minutes.` : '')
    if (notes.length) out.push(...notes.map(([row, note]) => `- ${results.rows[row]}: ${note}${only(row)}`), '')
    for (const [version, table] of Object.entries(results.throughput)) out.push(...throughputTables(results, `Node ${version}`, table), '')
  }
  if (results.chromium) {
    const { version, rounds, slowRounds, rows, workloads, table } = results.chromium
    out.push('## Throughput in Chromium', '')
    const slow = slowRounds < rounds ? ` (the rows on Chromium's own EventSource, ~3 s a run and no target: the first ${slowRounds})` : ''
    out.push(`Chromium ${version}, headless; ${rounds} paired rounds${slow}, one new page per run, loaded from the benchmark's server (same origin as the streams); rows in rotating order, timed in the page, checked like the Node rows. The limit is the same field scan (bench/lib/field-scan.mjs) on the page's fetch and TextDecoder; the floor is eventsource-parser, the polyfill's MessageEvent class and a dispatch per event on that same loop.`, '')
    out.push(...throughputTables(results, `Chromium ${version}`, table, rows, workloads), '')
    const overFloor = Object.entries(table).map(([w, cells]) => [w, paired(cells['polyfill-esm'], cells.floor)]).filter(([, r]) => r !== null)
    if (overFloor.length) out.push(`The ESM polyfill's time over the floor's, paired medians: ${overFloor.map(([w, r]) => `${w} ${r.toFixed(2)}×`).join(', ')}.`, '')
  }
  if (results.memory) {
    out.push(`## Memory per idle open connection (${results.settings.connections} connections, after GC)`, '')
    out.push('Each stream holds what a consumer holds: one shared data callback (an EventSource: one `message` listener) and a function that closes it. Heap + external memory against a baseline taken after a warm-up; "after close()" is measured once the server has seen every socket go.', '')
    out.push(...memoryTable(results.memory), '')
  }
  if (results.reconnect) {
    out.push('## Reconnect delay against `retry: 50`', '')
    out.push('Time from the end of a stream (the `error` event; for the client, its `onReconnecting` hook) to the next request\'s `fetch` call, minus the 50 ms asked for. The client runs with `retry: { initialDelay: 1, factor: 1, jitter: 0 }` so that the server\'s `retry:` (its floor) is the delay.', '')
    out.push(...reconnectTable(results.reconnect), '')
  }
  if (results.sizes) {
    out.push('## Bundle sizes (1 KB = 1000 B)', '')
    out.push(...sizeTables(results.sizes), '')
  }
  const verdicts = targets(results)
  if (verdicts.length) {
    out.push('## Targets', '', 'Issue 14\'s throughput, Chromium and run-time targets; issue 5\'s memory, reconnect and size ones. A ratio within 2% of its target is a tie: this machine\'s noise is larger.', '', '| target | measured | met |', '|---|---|---|')
    for (const v of verdicts) out.push(`| ${v.target} | ${v.figure} | ${v.met === 'tie' ? 'tie (within 2%)' : v.met ? 'yes' : '**no**'} |`)
    out.push('')
  }
  return `${out.join('\n')}\n`
}
