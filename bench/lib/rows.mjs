// The implementations under test. Each row consumes one workload stream from `url` and returns what it
// saw: the number of `type` events, the checksum of their data and the last event id — or, for the
// ceiling and transport rows, which never isolate an event's data, the event count and the decoded
// length. run.mjs compares that with the fixture's expected values; a row that does not match is
// reported as failed, never timed.
import { mix, SEED } from './checksum.mjs'

/** fetch + streaming TextDecoder: calls `onText` with each decoded chunk, resolves at end of body. */
async function readText(url, onText) {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' }, cache: 'no-store' })
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    const text = decoder.decode(value, { stream: true })
    if (text) onText(text)
  }
  const rest = decoder.decode()
  if (rest) onText(rest)
}

/**
 * The ceiling: fetch, streaming TextDecoder, and a bare line scan — each line cut out as a string (a
 * line that spans chunks is joined once, from its fragments), blank lines counted (one per event in
 * these fixtures). No field parsing, no event objects: the least any SSE consumer does.
 */
async function ceiling({ url }) {
  let count = 0
  let chars = 0
  let sink = 0
  const pending = []
  await readText(url, (text) => {
    chars += text.length
    let start = 0
    let at = text.indexOf('\n')
    while (at !== -1) {
      let line = text.slice(start, at)
      if (pending.length) {
        pending.push(line)
        line = pending.join('')
        pending.length = 0
      }
      if (line.length === 0) count++
      else sink ^= line.charCodeAt(line.length - 1)
      start = at + 1
      at = text.indexOf('\n', start)
    }
    if (start < text.length) pending.push(text.slice(start))
  })
  return { count, chars, sink }
}

/**
 * Below the ceiling, for scale: the same fetch loop counting line feeds with `indexOf`, without
 * cutting out a single line. What the transport alone costs.
 */
async function transport({ url }) {
  let count = 0
  let chars = 0
  // Index, relative to the current chunk, of the last line feed seen (-1: the chunk starts a line).
  let lastFeed = -2
  await readText(url, (text) => {
    chars += text.length
    let at = text.indexOf('\n')
    while (at !== -1) {
      if (at === lastFeed + 1) count++
      lastFeed = at
      at = text.indexOf('\n', at + 1)
    }
    lastFeed = lastFeed === text.length - 1 ? -1 : -2
  })
  return { count, chars }
}

/** eventsource-parser on the same fetch loop: parsing, no `EventSource` semantics or event objects. */
async function parser({ url, type, modules }) {
  const { createParser } = modules.parser
  let count = 0
  let checksum = SEED
  let lastId = ''
  const p = createParser({
    onEvent(event) {
      if ((event.event || 'message') !== type) return
      count++
      checksum = mix(checksum, event.data)
    },
    onId(id) {
      lastId = id
    },
  })
  await readText(url, (text) => p.feed(text))
  return { count, checksum, lastId }
}

/**
 * Any `EventSource`: one listener for the workload's event type; the end of the stream (the
 * reconnect `error` every spec-following source fires) stops the clock and closes the source.
 */
function eventSource(EventSource, { url, type }, init) {
  return new Promise((resolve) => {
    let count = 0
    let checksum = SEED
    let last = null
    const source = new EventSource(url, init)
    source.addEventListener(type, (event) => {
      count++
      checksum = mix(checksum, event.data)
      last = event
    })
    source.addEventListener('error', () => {
      source.close()
      resolve({ count, checksum, lastId: last ? last.lastEventId : '' })
    })
  })
}

/**
 * `@ssekit/client` over the polyfill (given as its `backend`). The handler checksums the raw event's
 * data and counts events whose decoded value is missing (so a `decode: 'json'` row really decodes);
 * the first reconnection (the stream ended) stops the clock, and the hook's `false` stops the client.
 */
function client({ url, type, modules }, decode) {
  const { connect } = modules.client
  const { EventSource } = modules.polyfill
  return new Promise((resolve, reject) => {
    let count = 0
    let checksum = SEED
    let last = null
    let undecoded = 0
    const stream = connect(url, {
      backend: EventSource,
      decode,
      onReconnecting() {
        stream.close()
        if (undecoded) reject(new Error(`${undecoded} events had no decoded data`))
        else resolve({ count, checksum, lastId: last ? last.lastEventId : '' })
        return false
      },
      onError: ({ error }) => reject(error),
    })
    stream.on(type, (data, event) => {
      count++
      if (data === undefined) undecoded++
      checksum = mix(checksum, event.data)
      last = event
    })
  })
}

/**
 * Every row, by name, in the order the tables show them. `uses` lists the modules the worker imports
 * before the clock starts (see `specifier` in worker.mjs). `needs`: the client rows are left out
 * until `@ssekit/client` exports `connect`; the native row only runs on a Node that has its own
 * `EventSource` (the Node 24 pass, with --experimental-eventsource).
 */
export const ROWS = {
  ceiling: { label: 'ceiling (fetch + TextDecoder + line scan)', uses: [], run: ceiling },
  transport: { label: 'fetch + TextDecoder + line-feed count (no line strings)', uses: [], run: transport },
  parser: { label: 'eventsource-parser 4.1.3 alone', uses: ['parser'], run: parser },
  // Forced: `dist/index.mjs` defaults to fetch, but Node resolves the package to `index.node.mjs`, whose default is the node transport.
  polyfill: { label: '@ssekit/polyfill (fetch)', uses: ['polyfill'], run: (ctx) => eventSource(ctx.modules.polyfill.EventSource, ctx, { transport: 'fetch' }) },
  'polyfill-node': {
    label: '@ssekit/polyfill (node transport, its default in Node)',
    uses: ['polyfill', 'polyfillNode'],
    run: (ctx) => eventSource(ctx.modules.polyfill.EventSource, ctx, { transport: ctx.modules.polyfillNode.nodeTransport }),
  },
  client: { label: '@ssekit/client (text)', uses: ['polyfill', 'client'], needs: 'client', run: (ctx) => client(ctx, 'text') },
  'client-json': { label: "@ssekit/client (decode: 'json')", uses: ['polyfill', 'client'], needs: 'client', run: (ctx) => client(ctx, 'json') },
  eventsource5: { label: 'eventsource 5.1.5', uses: ['eventsource5'], run: (ctx) => eventSource(ctx.modules.eventsource5.EventSource, ctx) },
  eventsource4: { label: 'eventsource 4.1.1', uses: ['eventsource4'], run: (ctx) => eventSource(ctx.modules.eventsource4.EventSource, ctx) },
  native: { label: 'Node native EventSource', uses: [], needs: 'native', run: (ctx) => eventSource(globalThis.EventSource, ctx) },
}
