// The Chromium section of `pnpm bench` alone, for a quick before/after on the browser rows: the same
// page, server, rows and checks (lib/chromium.mjs), on packages/*/dist as they are (no build), the
// report printed and written to bench/.out/chromium-results.md (results.md is left alone).
//   node bench/chromium.mjs   (BENCH_ROUNDS, default 5 as in `pnpm bench`; BENCH_CHROMIUM_ROWS, default
//   polyfill-es5,polyfill-esm: the native rows take ~2.5 s a run; the limit always runs)
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startServer } from './lib/child.mjs'
import { buildChromiumPage, CHROMIUM_ROWS, CHROMIUM_WORKLOADS, chromiumStaticDir, chromiumThroughput } from './lib/chromium.mjs'
import { renderMarkdown } from './lib/report.mjs'
import { resolveTargets } from './lib/targets.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const log = (line) => process.stderr.write(`${line}\n`)
const rounds = Number(process.env.BENCH_ROUNDS || 5)
const rows = (process.env.BENCH_CHROMIUM_ROWS || 'polyfill-es5,polyfill-esm').split(',').map((row) => row.trim())

async function main() {
  const unknown = rows.filter((row) => !CHROMIUM_ROWS[row])
  if (unknown.length) throw new Error(`BENCH_CHROMIUM_ROWS: unknown rows ${unknown.join(', ')} (known: ${Object.keys(CHROMIUM_ROWS).join(', ')})`)
  const targets = await resolveTargets()
  for (const note of [...targets.notes, targets.clientNote].filter(Boolean)) log(`note: ${note}`)
  await buildChromiumPage(targets)
  const server = await startServer({ scale: 1, workloads: [], extra: CHROMIUM_WORKLOADS, staticDir: chromiumStaticDir })
  const load = { start: loadavg() }
  let chromium
  try {
    const { version, slowRounds, table } = await chromiumThroughput({ server, rounds, log, rows })
    const workloads = Object.fromEntries(Object.entries(CHROMIUM_WORKLOADS).map(([name, [, , describe]]) => [name, { describe, ...server.expected[name] }]))
    chromium = { version, rounds, slowRounds, rows: CHROMIUM_ROWS, workloads, table }
  } finally {
    server.process.kill()
  }
  load.end = loadavg()
  const builds = { source: targets.source, notes: targets.notes, clientNote: targets.clientNote }
  const markdown = renderMarkdown({ date: new Date().toISOString(), node: process.version, cpu: '', cores: 0, load, settings: { scale: 1, rounds }, builds, chromium })
  mkdirSync(here('./.out'), { recursive: true })
  writeFileSync(here('./.out/chromium-results.md'), markdown)
  process.stdout.write(markdown)
}

main().catch((error) => {
  log(error instanceof Error ? error.stack : String(error))
  process.exit(1)
})
