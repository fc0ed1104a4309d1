// The per-event cost of the polyfill and of the client, without the network: each workload's text,
// cut into 64 KiB chunks, is played to the limit's consumer (the field scan and a callback per
// event), to the floor (eventsource-parser + MessageEvent + dispatch, fed as the polyfill feeds it),
// to the polyfill through a transport that hands it the chunks, and to the client over that
// polyfill, in one process, in rotating order, 21 times each. Prints the medians, the ratio to the
// limit and what each adds per event over the one below it: far less noisy than `pnpm bench`, and
// blind to the transports. Needs `pnpm build`.
//   node bench/in-process.mjs [workload,…]   (default tokens,custom; any Node binary runs it): the
//     polyfill as Node loads it (index.node.mjs: its own events), the floor on the native MessageEvent
//   node bench/in-process.mjs --chromium [workload,…]   (default tokens,json, at the Chromium
//     section's sizes): the same in a page of Debian's Chromium (lib/in-page.mjs), on the ESM builds
import { createParser } from 'eventsource-parser'
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'
import { CHROMIUM_WORKLOADS, launchChromium } from './lib/chromium.mjs'
import { generate, WORKLOADS } from './lib/fixtures.mjs'
import { describeInProcess, inProcessRuns, timeInProcess } from './lib/in-process.mjs'
import { chunksOf } from './lib/played.mjs'

const ROUNDS = 21
const chromium = process.argv[2] === '--chromium'
const workloads = (process.argv[chromium ? 3 : 2] || (chromium ? 'tokens,json' : 'tokens,custom')).split(',')
const label = (workload, describe) => `${workload.padEnd(9)} (${describe})`

if (chromium) {
  const dist = (path) => fileURLToPath(new URL(`../packages/${path}`, import.meta.url))
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./lib/in-page.mjs', import.meta.url))],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    alias: { '@ssekit/polyfill': dist('polyfill/dist/index.mjs'), '@ssekit/client': dist('client/dist/polyfilled.mjs') },
    logLevel: 'silent',
  })
  const { context, version, close } = await launchChromium()
  try {
    const page = await context.newPage()
    await page.addScriptTag({ content: bundle.outputFiles[0].text })
    console.log(`Chromium ${version}: medians of ${ROUNDS} runs in rotating order, ms (ns per event)`)
    for (const workload of workloads) {
      const [, scale, describe] = Object.values(CHROMIUM_WORKLOADS).find(([name]) => name === workload) || [workload, 1, WORKLOADS[workload].describe]
      const { body, expected } = generate(workload, scale)
      console.log(await page.evaluate(([text, given, rounds, name]) => window.inProcess(text, given, rounds, name), [body.toString('utf8'), expected, ROUNDS, label(workload, describe)]))
    }
  } finally {
    await close()
  }
} else {
  const { EventSource } = await import(new URL('../packages/polyfill/dist/index.node.mjs', import.meta.url).href)
  // The polyfilled entry, what the `node` condition resolves: `backend: 'polyfill'` needs it.
  const { connect } = await import(new URL('../packages/client/dist/polyfilled.mjs', import.meta.url).href)
  const runs = inProcessRuns({ EventSource, connect, createParser })
  console.log(`Node ${process.version}: medians of ${ROUNDS} runs in rotating order, ms (ns per event)`)
  for (const workload of workloads) {
    const { body, expected } = generate(workload, 1)
    console.log(describeInProcess(label(workload, WORKLOADS[workload].describe), timeInProcess(runs, chunksOf(body.toString('utf8')), expected, ROUNDS, workload), expected.count))
  }
}
