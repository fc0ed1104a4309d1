// The rows of bench/in-process.mjs and how they are timed and described, with no Node API: the same
// code runs in Node and, bundled, in a Chromium page (`--chromium`).
import { floorConsumer, limitConsumer } from './consumers.mjs'
import { consumer, played, playToSource, URL_ } from './played.mjs'
import { median, rotate } from './stats.mjs'

/**
 * The four rows, each returning the count and checksum of the `type` events it saw: the limit, the
 * floor (`createParser`, an event from `makeEvent`, a dispatch), the polyfill (`EventSource`) and the
 * client over it (`connect` with `backend: 'polyfill'`), the last two through a played transport.
 */
export function inProcessRuns({ EventSource, connect, createParser, makeEvent }) {
  return {
    limit(chunks, type) {
      const { onText, result } = limitConsumer(type)
      for (const chunk of chunks) onText(chunk)
      return result()
    },
    floor(chunks, type) {
      const { onText, result } = floorConsumer(createParser, type, new URL(URL_).origin, makeEvent)
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
}

/** Every row `rounds` times in rotating order, each run checked against `expected`: the median ms per row. */
export function timeInProcess(runs, chunks, { type, count, checksum }, rounds, label) {
  const times = Object.fromEntries(Object.keys(runs).map((name) => [name, []]))
  for (let round = 0; round < rounds; round++) {
    for (const name of rotate(Object.keys(runs), round)) {
      const started = performance.now()
      const seen = runs[name](chunks, type)
      times[name].push(performance.now() - started)
      if (seen.count !== count || seen.checksum !== checksum) throw new Error(`${name} saw the wrong ${type} events on ${label}: ${seen.count} of ${count}, or another checksum`)
    }
  }
  return Object.fromEntries(Object.entries(times).map(([name, list]) => [name, median(list)]))
}

/** One line: each row's median ms (ns per event), its ratio to the limit and what it adds over the row below it. */
export function describeInProcess(label, ms, count) {
  const perEvent = (value) => ((value * 1e6) / count).toFixed(1)
  const more = (value) => `${value < 0 ? '' : '+'}${perEvent(value)}`
  return (
    `${label}: limit ${ms.limit.toFixed(1)} (${perEvent(ms.limit)}), ` +
    `floor ${ms.floor.toFixed(1)} (${perEvent(ms.floor)}; ${(ms.floor / ms.limit).toFixed(2)}× the limit), ` +
    `polyfill ${ms.polyfill.toFixed(1)} (${perEvent(ms.polyfill)}; ${(ms.polyfill / ms.limit).toFixed(2)}× the limit, ${more(ms.polyfill - ms.floor)} over the floor), ` +
    `client ${ms.client.toFixed(1)} (${perEvent(ms.client)}; ${more(ms.client - ms.polyfill)} over the polyfill, ${(ms.client / ms.polyfill).toFixed(3)}×)`
  )
}
