// The Chromium section: Debian's Chromium, headless, driven by playwright-core; one new page per run,
// loaded from the benchmark's own server (so the streams are same-origin), the rows of page.mjs in
// rotating order per round, timed in the page, every result checked like the Node rows'.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import { checkResult } from './rows.mjs'
import { rotate, tabulate } from './stats.mjs'

export const CHROMIUM_PATH = '/usr/bin/chromium'
const dir = fileURLToPath(new URL('../.out/chromium/', import.meta.url))
const root = fileURLToPath(new URL('../../', import.meta.url))

/** The issue's browser workloads, served under these names: workload and scale relative to the Node one. */
export const CHROMIUM_WORKLOADS = {
  'chromium-tokens': ['tokens', 0.5, '100k × ~30 B, `id:` on each'],
  'chromium-json': ['json', 0.2, '10k × 1 KB JSON'],
}

/** The rows of page.mjs, in table order, with their labels. */
export const CHROMIUM_ROWS = {
  limit: 'in-page limit (fetch + TextDecoder + field scan + a callback per event)',
  floor: 'floor: eventsource-parser + MessageEvent (the polyfill\'s class) + dispatch',
  native: "Chromium's own EventSource",
  'client-native': '@ssekit/client over the native EventSource',
  'polyfill-es5': 'ssekit-polyfill.min.js (ES5 script tag)',
  'polyfill-esm': '@ssekit/polyfill ESM build, bundled by esbuild',
  'client-polyfill': '@ssekit/client over the ESM polyfill',
}

/** Where the page's files are served from (the server's BENCH_STATIC). */
export const chromiumStaticDir = dir

/**
 * Writes the page, its bundle (page.mjs with `polyfill` and `client`, the files `@ssekit/polyfill`
 * and `@ssekit/client` resolve to, bundled by esbuild for the browser, minified unless asked not
 * to) and a copy of ssekit-polyfill.min.js into bench/.out/chromium.
 */
export async function buildChromiumPage({ polyfill, client }, { minify = true } = {}) {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  await build({
    entryPoints: [fileURLToPath(new URL('./page.mjs', import.meta.url))],
    outfile: `${dir}page.js`,
    bundle: true,
    minify,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    alias: { '@ssekit/polyfill': polyfill, '@ssekit/client': client },
    logLevel: 'silent',
  })
  copyFileSync(`${root}packages/polyfill/dist/ssekit-polyfill.min.js`, `${dir}ssekit-polyfill.min.js`)
  writeFileSync(`${dir}page.html`, '<!doctype html><meta charset="utf-8"><title>ssekit bench</title><script src="page.js"></script>\n')
}

/** Debian's Chromium, headless, with a fresh profile: `{ context, version, close() }`. */
export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium)`)
  const profile = mkdtempSync(join(tmpdir(), 'ssekit-bench-chromium-'))
  // The flags of test/browser/chromium.ts: no sandbox as root, no GPU, no background traffic to
  // hosts this machine's closed network refuses.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  // The user agent says 156.0.0.0 (reduced); the binary says the whole version.
  const version = (execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).match(/(\d+\.\d+\.\d+\.\d+)/) || ['', '?'])[1]
  return {
    context,
    version,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/**
 * The rows on Chromium's own EventSource: ~3 s a run on tokens, 20× any other row, and no target
 * rests on them, so they run in the first `slowRounds` rounds only, and the rows with targets can
 * have more rounds within the whole benchmark's five minutes.
 */
export const CHROMIUM_SLOW_ROWS = ['native', 'client-native']

/**
 * Runs `rows` (default: all; the limit always runs) on every Chromium workload for `rounds` rounds,
 * the slow rows in the first `slowRounds` of them. Returns { version, rounds, slowRounds, table }
 * where table[workload][row] holds the same fields as a Node throughput cell (ratio to the round's limit).
 */
export async function chromiumThroughput({ server, rounds, slowRounds = rounds, log, rows: only = Object.keys(CHROMIUM_ROWS) }) {
  const { context, version, close } = await launchChromium()
  const rows = Object.keys(CHROMIUM_ROWS).filter((row) => row === 'limit' || only.includes(row))
  const runs = {}
  try {
    for (const workload of Object.keys(CHROMIUM_WORKLOADS)) runs[workload] = Object.fromEntries(rows.map((row) => [row, []]))
    for (let round = 0; round < rounds; round++) {
      for (const workload of Object.keys(CHROMIUM_WORKLOADS)) {
        const expected = server.expected[workload]
        const due = round < slowRounds ? rows : rows.filter((row) => !CHROMIUM_SLOW_ROWS.includes(row))
        for (const row of rotate(due, round)) {
          const run = await runPage(context, server.origin, row, { url: `${server.origin}/w/${workload}`, type: expected.type })
          const failure = run.error || checkResult('events', run.result, expected)
          runs[workload][row].push(failure ? { round, failed: failure } : { round, ms: run.ms })
          log(`  [Chromium ${version}] round ${round + 1}/${rounds} ${workload.padEnd(15)} ${row.padEnd(15)} ${failure ? `FAILED: ${failure}` : `${run.ms.toFixed(1)} ms`}`)
        }
      }
    }
  } finally {
    await close()
  }
  return { version, rounds, slowRounds: Math.min(slowRounds, rounds), table: tabulate(runs, Object.fromEntries(Object.keys(runs).map((w) => [w, server.expected[w].bytes]))) }
}

/** One run in a new page: the row's script, then `bench.run`; a run that takes over a minute fails. */
async function runPage(context, origin, row, job) {
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (error) => errors.push(error.message))
  try {
    await page.goto(`${origin}/static/page.html`)
    if (row === 'polyfill-es5') await page.addScriptTag({ url: `${origin}/static/ssekit-polyfill.min.js` })
    const timeout = new Promise((resolve) => setTimeout(() => resolve({ error: 'no result after 60 s' }), 60_000).unref())
    const run = await Promise.race([page.evaluate(([name, given]) => window.bench.run(name, given), [row, job]), timeout])
    // A broken row throws once per event: the first error and how many there were say enough.
    return errors.length && !run.error ? { error: `${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more page errors)` : ''}` } : run
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) }
  } finally {
    await page.close()
  }
}
