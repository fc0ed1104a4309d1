// The per-event cost of the polyfill and of the client, without the network: each workload's text,
// cut into 64 KiB chunks, is played to the limit's consumer (the field scan and a callback per
// event), to the floor (eventsource-parser + MessageEvent + dispatch, fed as the polyfill feeds it),
// to the polyfill as Node loads it (index.node.mjs: its own events) through a transport that hands
// it the chunks, and to the client over that polyfill, in one process, in rotating order, 21 times
// each. Prints the medians, the ratio to the limit and what each adds per event over the one below
// it: far less noisy than `pnpm bench`, and blind to the transports. Needs `pnpm build`.
//   node bench/in-process.mjs [workload,…]   (default tokens,custom; any Node binary runs it)
import { createParser } from 'eventsource-parser'
import { generate, WORKLOADS } from './lib/fixtures.mjs'
import { chunksOf, consumer, played, playToSource, URL_ } from './lib/played.mjs'
import { floorConsumer, limitConsumer } from './lib/consumers.mjs'
import { median, rotate } from './lib/stats.mjs'

const { EventSource } = await import(new URL('../packages/polyfill/dist/index.node.mjs', import.meta.url).href)
// The polyfilled entry, what the `node` condition resolves: `backend: 'polyfill'` needs it.
const { connect } = await import(new URL('../packages/client/dist/polyfilled.mjs', import.meta.url).href)

/** Each returns the count and checksum of the workload's events it saw. */
const runs = {
  limit(chunks, type) {
    const { onText, result } = limitConsumer(type)
    for (const chunk of chunks) onText(chunk)
    return result()
  },
  floor(chunks, type) {
    const { onText, result } = floorConsumer(createParser, type, new URL(URL_).origin)
    for (const chunk of chunks) onText(chunk)
    return result()
  },
  polyfill: (chunks, type) => playToSource(EventSource, chunks, type),
  client(chunks, type) {
    const { transport, play } = played(chunks)
    const seen = consumer()
    const client = connect(URL_, { backend: 'polyfill', polyfill: { transport }, events: [type] })
    client.on(type, (data, event) => seen.add(data, event))
    play()
    client.close()
    return seen.result()
  },
}

const workloads = (process.argv[2] || 'tokens,custom').split(',')
console.log(`Node ${process.version}: medians of 21 runs in rotating order, ms (ns per event)`)
for (const workload of workloads) {
  const generated = generate(workload, 1)
  const chunks = chunksOf(generated.body.toString('utf8'))
  const { type, count, checksum } = generated.expected
  const times = { limit: [], floor: [], polyfill: [], client: [] }
  for (let round = 0; round < 21; round++) {
    for (const name of rotate(Object.keys(runs), round)) {
      const started = performance.now()
      const seen = runs[name](chunks, type)
      times[name].push(performance.now() - started)
      if (seen.count !== count || seen.checksum !== checksum) throw new Error(`${name} saw the wrong ${type} events on ${workload}: ${seen.count} of ${count}, or another checksum`)
    }
  }
  const ms = Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]))
  const perEvent = (value) => ((value * 1e6) / count).toFixed(1)
  const more = (value) => `${value < 0 ? '' : '+'}${perEvent(value)}`
  console.log(
    `${workload.padEnd(9)} (${WORKLOADS[workload].describe}): limit ${ms.limit.toFixed(1)} (${perEvent(ms.limit)}), ` +
      `floor ${ms.floor.toFixed(1)} (${perEvent(ms.floor)}; ${(ms.floor / ms.limit).toFixed(2)}× the limit), ` +
      `polyfill ${ms.polyfill.toFixed(1)} (${perEvent(ms.polyfill)}; ${(ms.polyfill / ms.limit).toFixed(2)}× the limit, ${more(ms.polyfill - ms.floor)} over the floor), ` +
      `client ${ms.client.toFixed(1)} (${perEvent(ms.client)}; ${more(ms.client - ms.polyfill)} over the polyfill, ${(ms.client / ms.polyfill).toFixed(3)}×)`,
  )
}
