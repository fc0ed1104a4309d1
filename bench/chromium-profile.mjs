// Where a row's time goes in Chromium: the Chromium section's page, bundled by esbuild from the
// TypeScript sources (unminified, private names intact, so the profile names our functions), one
// page per row, the DevTools protocol's Profiler (through playwright-core's CDP session) sampling
// every 50 µs while the row runs. Writes bench/profile-chromium.md.
//   node bench/chromium-profile.mjs   (CHROMIUM_PROFILE_ROWS=limit,polyfill-esm,…; CHROMIUM_PROFILE_WORKLOADS=chromium-tokens,chromium-json)
import { readFileSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { startServer } from './lib/child.mjs'
import { buildChromiumPage, chromiumStaticDir, CHROMIUM_WORKLOADS, launchChromium } from './lib/chromium.mjs'
import { analyse, section } from './lib/cpu-profile.mjs'
import { checkResult } from './lib/rows.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const rows = (process.env.CHROMIUM_PROFILE_ROWS || 'limit,polyfill-esm,client-polyfill').split(',')
const workloads = (process.env.CHROMIUM_PROFILE_WORKLOADS || 'chromium-tokens').split(',')
const sources = { polyfill: here('../packages/polyfill/src/index.ts'), client: here('../packages/client/src/index.ts') }

/**
 * The module of a frame of page.js: esbuild's unminified bundle opens each module's code with a
 * `// path` comment line, so a frame's line number says which module it is in.
 */
function modulesByLine() {
  const starts = []
  readFileSync(`${chromiumStaticDir}page.js`, 'utf8')
    .split('\n')
    .forEach((line, at) => {
      const match = /^\s*\/\/ (\S+\.(?:ts|mjs|js))$/.exec(line)
      if (match) starts.push([at, match[1].replace(/^.*node_modules\//, '')])
    })
  return (frame) => {
    if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(Chromium built-ins: DOM, V8)'
    if (!frame.url.endsWith('/page.js')) return frame.url
    let name = '(page.js)'
    for (const [line, module] of starts) if (line <= frame.lineNumber) name = module
    return name
  }
}

async function main() {
  await buildChromiumPage(sources, { minify: false })
  const server = await startServer({ scale: 1, workloads: [], extra: CHROMIUM_WORKLOADS, staticDir: chromiumStaticDir })
  const browser = await launchChromium()
  const moduleOfFrame = modulesByLine()
  const out = ['# Chromium CPU profiles', '', `Chromium ${browser.version}; the page bundled from the TypeScript sources (unminified); DevTools protocol Profiler, 50 µs sampling, \`(idle)\` left out; load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the start.`, '']
  try {
    for (const workload of workloads) {
      for (const row of rows) {
        const page = await browser.context.newPage()
        await page.goto(`${server.origin}/static/page.html`)
        if (row === 'polyfill-es5') await page.addScriptTag({ url: `${server.origin}/static/ssekit-polyfill.min.js` })
        const cdp = await browser.context.newCDPSession(page)
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: 50 })
        await cdp.send('Profiler.start')
        const run = await page.evaluate(([name, job]) => window.bench.run(name, job), [row, { url: `${server.origin}/w/${workload}`, type: server.expected[workload].type }])
        const { profile } = await cdp.send('Profiler.stop')
        await page.close()
        const wrong = checkResult('events', run.result, server.expected[workload])
        if (wrong) throw new Error(`${row} on ${workload}: ${wrong}`)
        const analysis = analyse(profile, undefined, moduleOfFrame)
        process.stderr.write(`${row} on ${workload}: ${run.ms.toFixed(1)} ms, ${analysis.samples} samples\n`)
        out.push(...section(`${row} on ${workload} (${run.ms.toFixed(1)} ms under the profiler, ${((run.ms * 1e6) / server.expected[workload].count).toFixed(0)} ns per event)`, analysis))
      }
    }
  } finally {
    await browser.close()
    server.process.kill()
  }
  const markdown = `${out.join('\n')}\n`
  writeFileSync(here('./profile-chromium.md'), markdown)
  process.stdout.write(markdown)
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
