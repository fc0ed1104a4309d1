// One timed run in a fresh process: imports the row's modules, runs its `setup`, warms the fetch and the
// node:http machinery up on a tiny stream each (Node loads undici on the first fetch; the first
// http.get costs a few ms too), collects garbage, then times one full workload and sends the result
// to the parent. Job in BENCH_JOB (JSON): { row, url, ping, type, modules: {name: path}, again? }.
import { get } from 'node:http'
import { pathToFileURL } from 'node:url'
import { ROWS } from './rows.mjs'

const job = JSON.parse(process.env.BENCH_JOB)
const row = ROWS[job.row]

/** Where each module a row may use comes from: a file path (our builds: polyfill, polyfillNode, polyfillEntry, client) or a package name. */
const specifier = (name) => {
  const given = job.modules[name]
  if (given) return pathToFileURL(given).href
  return {
    parser: 'eventsource-parser',
    eventsource5: 'eventsource5',
    eventsource4: 'eventsource',
    eventsourceClient: 'eventsource-client',
    fetchEventSource: '@microsoft/fetch-event-source',
  }[name]
}

/** One small request over node:http, read to its end. */
function warmHttp(url) {
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      response.setEncoding('utf8')
      response.on('data', () => {})
      response.on('end', resolve)
      response.on('error', reject)
    }).on('error', reject)
  })
}

async function main() {
  const modules = {}
  for (const name of row.uses) modules[name] = await import(specifier(name))
  if (row.setup) row.setup()
  const warm = await fetch(job.ping)
  await warm.text()
  await warmHttp(job.ping)
  globalThis.gc()
  const window = [process.hrtime.bigint()]
  const started = performance.now()
  const result = await row.run({ url: job.url, type: job.type, modules })
  const ms = performance.now() - started
  window.push(process.hrtime.bigint())
  // The timed window in µs of the monotonic clock, which is the clock of `--cpu-prof` timestamps.
  const windowUs = window.map((ns) => Number(ns / 1000n))
  // Asked for (bench/warm-up.mjs): the same run once more, its code now warm.
  let again
  if (job.again) {
    globalThis.gc()
    const restarted = performance.now()
    const againResult = await row.run({ url: job.url, type: job.type, modules })
    again = { ms: performance.now() - restarted, result: againResult }
  }
  process.send({ ok: true, ms, result, again, windowUs }, () => process.exit(0))
}

// A row that never finishes (it lost the end of the stream) must not hang the benchmark.
setTimeout(() => {
  process.send({ ok: false, error: `no result after ${job.timeout} ms` }, () => process.exit(1))
}, job.timeout).unref()

main().catch((error) => {
  process.send({ ok: false, error: error instanceof Error ? error.stack || error.message : String(error) }, () => process.exit(1))
})
