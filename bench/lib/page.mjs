// The Chromium section's rows, run inside the page (bundled by esbuild into bench/.out/chromium/page.js
// with the polyfill's and the client's ESM builds, as an application's bundler would). `bench.run(row,
// job)` resolves with what the row saw and the milliseconds it took, timed in the page.
import { EventSource as PolyfillEventSource } from '@ssekit/polyfill'
import { connect } from '@ssekit/client'
import { createParser } from 'eventsource-parser'
import { fastEvent } from '../../packages/polyfill/src/message-event.ts'
import { floorConsumer, limitConsumer } from './consumers.mjs'
import { clientRun, eventSource, readText } from './sources.mjs'

const ROWS = {
  // fetch + TextDecoder + the field scan + one callback per event: the figure every ratio is to.
  limit: async ({ url, type }) => {
    const { onText, result } = limitConsumer(type)
    await readText(url, onText)
    return result()
  },
  // What any spec-following EventSource on fetch must do: the limit's loop with eventsource-parser,
  // one MessageEvent and one dispatch per event. The event is the polyfill's class, the cheapest
  // MessageEvent a page can make (the platform's constructor costs 2-4× as much in Chromium).
  floor: async ({ url, type }) => {
    const { onText, result } = floorConsumer(createParser, type, location.origin, fastEvent)
    await readText(url, onText)
    return result()
  },
  native: (job) => eventSource(window.EventSource, job),
  'client-native': (job) => clientRun(connect, job, { backend: 'native' }),
  // ssekit-polyfill.min.js, added to the page by a script tag before the run: its global, not the bundle's class.
  'polyfill-es5': (job) => eventSource(window.SSEKitPolyfill.EventSource, job),
  'polyfill-esm': (job) => eventSource(PolyfillEventSource, job),
  'client-polyfill': (job) => clientRun(connect, job, { backend: 'polyfill' }),
}

window.bench = {
  async run(row, job) {
    const started = performance.now()
    const result = await ROWS[row](job)
    return { result, ms: performance.now() - started }
  },
}
