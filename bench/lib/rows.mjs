// The implementations under test. Each row consumes one workload stream from `url` and returns what it
// saw: the number of `type` events, the checksum of their data and the last event id — or, for the
// rows marked `checks: 'text'` (the ceilings and the transport row, which never isolate an event's
// data), the event count and the decoded length. run.mjs compares that with the fixture's expected
// values; a row that does not match is reported as failed, never timed.
import { get } from 'node:http'
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
 * The ceiling's line scan: `onText` takes each decoded chunk and cuts every line out as a string (a
 * line that spans chunks is joined once, from its fragments), counting the blank ones (one per event
 * in these fixtures). No field parsing, no event objects: the least any SSE consumer does.
 */
function lineScan() {
  // Plain closure variables, as in the ceiling's original loop, so that sharing it changes no figure.
  let count = 0
  let chars = 0
  let sink = 0
  const pending = []
  const onText = (text) => {
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
  }
  return { onText, result: () => ({ count, chars, sink }) }
}

/** The ceiling: fetch, streaming TextDecoder and the line scan. Every ratio is to this row. */
async function ceiling({ url }) {
  const { onText, result } = lineScan()
  await readText(url, onText)
  return result()
}

/**
 * The same line scan on `node:http` (`http.get`, the response decoded by `setEncoding('utf8')`, i.e.
 * a streaming StringDecoder): the floor of any transport built on node:http, such as the polyfill's
 * node transport. Its ratio is still to the fetch ceiling.
 */
function ceilingHttp({ url }) {
  const { onText, result } = lineScan()
  return new Promise((resolve, reject) => {
    get(url, { headers: { accept: 'text/event-stream' } }, (response) => {
      response.setEncoding('utf8')
      response.on('data', onText)
      response.on('end', () => resolve(result()))
      response.on('error', reject)
    }).on('error', reject)
  })
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
 * What the spec makes every event cost, on top of parsing: eventsource-parser fed `onText`'s chunks,
 * a `MessageEvent` built for each event and dispatched on an `EventTarget` to one listener for
 * `type`. No EventSource state, no checks, no reconnection.
 */
export function floorConsumer(createParser, type, origin) {
  const target = new EventTarget()
  let count = 0
  let checksum = SEED
  let last = null
  let lastId = ''
  target.addEventListener(type, (event) => {
    count++
    checksum = mix(checksum, event.data)
    last = event
  })
  const p = createParser({
    onEvent(event) {
      target.dispatchEvent(new MessageEvent(event.event || 'message', { data: event.data, origin, lastEventId: lastId }))
    },
    onId(id) {
      lastId = id
    },
  })
  return {
    // Fed as the polyfill feeds it: a chunk's first line on its own, so that the parser joins the line
    // it holds with that line and not with the whole chunk (a copy of every chunk).
    onText(text) {
      const firstLine = text.indexOf('\n') + 1
      if (firstLine === 0 || firstLine === text.length) return p.feed(text)
      p.feed(text.slice(0, firstLine))
      p.feed(text.slice(firstLine))
    },
    result: () => ({ count, checksum, lastId: last ? last.lastEventId : '' }),
  }
}

/**
 * The floor of any spec-following EventSource on fetch: the floor consumer on the same fetch loop.
 * The row to set the polyfill's fetch row beside.
 */
async function floor({ url, type, modules }) {
  const { onText, result } = floorConsumer(modules.parser.createParser, type, new URL(url).origin)
  await readText(url, onText)
  return result()
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
 * eventsource-client (rexxars): its `onMessage` callback gets the parser's plain `{ id, event, data }`
 * objects (no MessageEvent, no dispatch by type, so the row filters on `event`); the last id is the
 * client's own `lastEventId`. At the end of the stream it schedules a reconnection — also after a
 * network error, so a broken stream ends the run too (and fails its count) — and the row closes it there.
 */
function eventsourceClient({ url, type, modules }) {
  const { createEventSource } = modules.eventsourceClient
  return new Promise((resolve) => {
    let count = 0
    let checksum = SEED
    const source = createEventSource({
      url,
      onMessage(message) {
        if ((message.event || 'message') !== type) return
        count++
        checksum = mix(checksum, message.data)
      },
      onScheduleReconnect() {
        source.close()
        resolve({ count, checksum, lastId: source.lastEventId || '' })
      },
    })
  })
}

/**
 * Stand-ins for the browser globals @microsoft/fetch-event-source 2.0.1 touches. It calls
 * `document.addEventListener('visibilitychange', …)` unless `openWhenHidden` (the row passes it),
 * `document.removeEventListener` and `window.clearTimeout` whenever it finishes, `window.setTimeout` to
 * retry and `window.fetch` when given no `fetch` (the row gives it Node's). Set before the clock starts;
 * each run is a process of its own.
 */
function browserGuards() {
  globalThis.document ??= { hidden: false, addEventListener() {}, removeEventListener() {} }
  globalThis.window ??= { setTimeout, clearTimeout, fetch: globalThis.fetch }
}

/**
 * @microsoft/fetch-event-source: `fetchEventSource(url, { onmessage, … })` resolves when the response
 * ends (it reconnects only when `onclose` throws). Its messages are plain `{ id, event, data, retry }`
 * objects whose `id` is that message's own `id:` field ('' without one): it keeps no last event id the
 * caller can read (only in its Last-Event-ID request header), so the row keeps the last non-empty one
 * itself — the same thing for these fixtures, which never reset the id with an empty `id:`. A network
 * error is rethrown from `onerror`, which stops it from retrying and fails the run.
 */
async function fetchEventSource({ url, type, modules }) {
  let count = 0
  let checksum = SEED
  let lastId = ''
  await modules.fetchEventSource.fetchEventSource(url, {
    fetch: globalThis.fetch,
    openWhenHidden: true,
    onmessage(message) {
      if ((message.event || 'message') !== type) return
      count++
      checksum = mix(checksum, message.data)
      if (message.id) lastId = message.id
    },
    onerror(error) {
      throw error
    },
  })
  return { count, checksum, lastId }
}

/**
 * Every row, by name, in the order the tables show them. `uses` lists the modules the worker imports
 * before the clock starts (see `specifier` in worker.mjs); `setup`, if any, also runs before the clock.
 * `checks: 'text'`: the row is checked on event count and decoded length, not on events' data and id.
 * `note`: what the report says under the tables about how the row is run or checked. `onePass`: only
 * on the Node that runs run.mjs (Node 20 under `pnpm bench`), not on the BENCH_NODE24 pass — issue 5's
 * reference rows, whose second pass would take `pnpm bench` past its time budget. `needs`: the
 * client rows are left out until `@ssekit/client` exports `connect`; the native row only runs on a Node
 * that has its own `EventSource` (the Node 24 pass, with --experimental-eventsource).
 */
export const ROWS = {
  ceiling: { label: 'ceiling (fetch + TextDecoder + line scan)', checks: 'text', uses: [], run: ceiling },
  'ceiling-http': {
    label: 'ceiling on node:http (http.get + setEncoding + line scan)',
    note: 'the ceiling\'s work on node:http instead of fetch, checked like the ceiling (event count, decoded length); its ratio is to the fetch ceiling like every other row\'s. It is the floor of the polyfill\'s node transport: set that row beside it, not beside the fetch ceiling.',
    checks: 'text',
    uses: [],
    run: ceilingHttp,
  },
  transport: { label: 'fetch + TextDecoder + line-feed count (no line strings)', checks: 'text', uses: [], run: transport },
  parser: { label: 'eventsource-parser 4.1.3 alone', uses: ['parser'], run: parser },
  floor: {
    label: 'floor: eventsource-parser + MessageEvent + dispatch',
    note: 'eventsource-parser on the fetch loop (fed each chunk\'s first line apart, as the polyfill feeds it, so that it never copies a whole chunk), plus a `MessageEvent` built and dispatched on an `EventTarget` for every event, as the spec requires of any EventSource: the work every spec-following fetch-based EventSource does, with none of its bookkeeping. Set the polyfill\'s fetch row beside it. It is a reference, not a bound: in one process (bench/in-process.mjs) the polyfill\'s event path comes out a little under it.',
    uses: ['parser'],
    run: floor,
  },
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
  // First Node only, to keep the whole run under five minutes: eventsource 5 is the one issue 5 compares with.
  eventsource4: { label: 'eventsource 4.1.1', uses: ['eventsource4'], onePass: true, run: (ctx) => eventSource(ctx.modules.eventsource4.EventSource, ctx) },
  'eventsource-client': {
    label: 'eventsource-client 1.2.0 (plain objects; on eventsource-parser 3.1.1)',
    note: 'it hands its `onMessage` callback the parser\'s plain `{ id, event, data }` objects — no MessageEvent and no dispatch by event type, so the row filters on `event` itself; the last id is the client\'s `lastEventId`.',
    uses: ['eventsourceClient'],
    onePass: true,
    run: eventsourceClient,
  },
  'fetch-event-source': {
    label: '@microsoft/fetch-event-source 2.0.1 (last id kept by the row)',
    note: 'it exposes no last event id, only each message\'s own `id:` field, so the row keeps the last non-empty one: the id check holds it to the fixtures\' ids but cannot tell whether it would honour an empty `id:` that resets the last id (these fixtures have none). Runs with `openWhenHidden: true`, Node\'s `fetch` passed in and stand-ins for `document`/`window`.',
    uses: ['fetchEventSource'],
    setup: browserGuards,
    onePass: true,
    run: fetchEventSource,
  },
  native: { label: 'Node native EventSource', uses: [], needs: 'native', run: (ctx) => eventSource(globalThis.EventSource, ctx) },
}

/** What is wrong with a row's result, against what the fixture says a correct client sees ('' if nothing). */
export function checkResult(row, result, expected) {
  const wrong = []
  if (result.count !== expected.count) wrong.push(`count ${result.count} ≠ ${expected.count}`)
  if (ROWS[row].checks === 'text') {
    if (result.chars !== expected.chars) wrong.push(`decoded length ${result.chars} ≠ ${expected.chars}`)
  } else {
    if (result.checksum !== expected.checksum) wrong.push(`checksum ${result.checksum} ≠ ${expected.checksum}`)
    if (result.lastId !== expected.lastId) wrong.push(`last id "${result.lastId}" ≠ "${expected.lastId}"`)
  }
  return wrong.join(', ')
}
