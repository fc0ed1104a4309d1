// The implementations under test. Each row consumes one workload stream from `url` and returns what it
// saw: the number of `type` events, the checksum of their data and the last event id — or, for the
// rows marked `checks: 'text'` (the ceilings and the transport row, which never isolate an event's
// data), the event count and the decoded length. run.mjs compares that with the fixture's expected
// values; a row that does not match is reported as failed, never timed.
import { get } from 'node:http'
import { mix, SEED } from './checksum.mjs'
import { floorConsumer, limitConsumer, lineScan } from './consumers.mjs'
import { clientRun, eventSource, readText } from './sources.mjs'

/** The old ceiling: fetch, streaming TextDecoder and the line scan (no field parsing, no event). A reference. */
async function ceiling({ url }) {
  const { onText, result } = lineScan()
  await readText(url, onText)
  return result()
}

/**
 * The same line scan on `node:http` (`http.get`, the response decoded by `setEncoding('utf8')`, i.e.
 * a streaming StringDecoder): the floor of any transport built on node:http, such as the polyfill's
 * node transport. Its ratio is to the limit (on fetch), like every row's.
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
 * Below the old ceiling, for scale: the same fetch loop counting line feeds with `indexOf`, without
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

/** The limit: the limit consumer (consumers.mjs) on the same fetch loop. Every ratio is to this row. */
async function limit({ url, type }) {
  const { onText, result } = limitConsumer(type)
  await readText(url, onText)
  return result()
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
 * `@ssekit/client` over the polyfill as Node loads it (`index.node.mjs`: the node transport and the
 * Node entry's events), given as its `backend`.
 */
function client({ url, type, modules }, decode) {
  return clientRun(modules.client.connect, { url, type }, { backend: modules.polyfillEntry.EventSource, decode })
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
 * on the Node that runs run.mjs (Node 20 under `pnpm bench`), not on the other Nodes' passes: the
 * references the targets do not need there, left out to keep `pnpm bench` under five minutes.
 * `optional`: not in the default run (BENCH_ROWS names it), to keep `pnpm bench` under five minutes.
 * `needs`: the client rows are left out until `@ssekit/client` exports `connect`; the native row
 * only runs on a Node that has its own `EventSource` (the Node 22 and 24 passes, with
 * --experimental-eventsource).
 */
export const ROWS = {
  limit: {
    label: 'limit (fetch + TextDecoder + field scan + a callback per event)',
    note: 'fetch, streaming TextDecoder, and a scan that recognises each field, slices its value, joins multi-line data and calls one callback per event that reads the data (bench/lib/field-scan.mjs, consumers.mjs): what any SSE consumer must do. Checked like every row (count, checksum, last id); every ratio is to it, in the same round.',
    uses: [],
    run: limit,
  },
  ceiling: { label: 'old ceiling (fetch + TextDecoder + line scan)', checks: 'text', uses: [], run: ceiling },
  'ceiling-http': {
    label: 'old ceiling on node:http (http.get + setEncoding + line scan)',
    note: 'the old ceiling\'s work on node:http instead of fetch, checked like it (event count, decoded length): the floor of the polyfill\'s node transport.',
    checks: 'text',
    optional: true,
    uses: [],
    run: ceilingHttp,
  },
  transport: { label: 'fetch + TextDecoder + line-feed count (no line strings)', checks: 'text', optional: true, uses: [], run: transport },
  parser: { label: 'eventsource-parser 4.1.3 alone', uses: ['parser'], onePass: true, run: parser },
  floor: {
    label: 'floor: eventsource-parser + MessageEvent + dispatch',
    note: 'eventsource-parser on the fetch loop (fed each chunk\'s first line apart, as the polyfill feeds it, so that it never copies a whole chunk), plus a native `MessageEvent` built and dispatched on an `EventTarget` for every event: what a spec-following EventSource on fetch did before the fast event class (packages/polyfill/src/message-event.ts). A reference.',
    uses: ['parser'],
    run: floor,
  },
  // Both polyfill rows load the polyfill as Node resolves it (index.node.mjs: the Node entry's events).
  polyfill: {
    label: '@ssekit/polyfill (fetch transport)',
    uses: ['polyfillEntry'],
    onePass: true,
    run: (ctx) => eventSource(ctx.modules.polyfillEntry.EventSource, ctx, { transport: ctx.modules.polyfillEntry.fetchTransport }),
  },
  'polyfill-node': {
    label: '@ssekit/polyfill as Node loads it (node transport)',
    uses: ['polyfillEntry'],
    run: (ctx) => eventSource(ctx.modules.polyfillEntry.EventSource, ctx),
  },
  client: { label: '@ssekit/client (text)', uses: ['polyfillEntry', 'client'], needs: 'client', run: (ctx) => client(ctx, 'text') },
  'client-json': { label: "@ssekit/client (decode: 'json')", uses: ['polyfillEntry', 'client'], needs: 'client', onePass: true, run: (ctx) => client(ctx, 'json') },
  eventsource5: { label: 'eventsource 5.1.5', uses: ['eventsource5'], run: (ctx) => eventSource(ctx.modules.eventsource5.EventSource, ctx) },
  // Issue 5's other reference rows: first Node only, and only when asked for.
  eventsource4: { label: 'eventsource 4.1.1', uses: ['eventsource4'], onePass: true, optional: true, run: (ctx) => eventSource(ctx.modules.eventsource4.EventSource, ctx) },
  'eventsource-client': {
    label: 'eventsource-client 1.2.0 (plain objects; on eventsource-parser 3.1.1)',
    note: 'it hands its `onMessage` callback the parser\'s plain `{ id, event, data }` objects — no MessageEvent and no dispatch by event type, so the row filters on `event` itself; the last id is the client\'s `lastEventId`.',
    uses: ['eventsourceClient'],
    onePass: true,
    optional: true,
    run: eventsourceClient,
  },
  'fetch-event-source': {
    label: '@microsoft/fetch-event-source 2.0.1 (last id kept by the row)',
    note: 'it exposes no last event id, only each message\'s own `id:` field, so the row keeps the last non-empty one: the id check holds it to the fixtures\' ids but cannot tell whether it would honour an empty `id:` that resets the last id (these fixtures have none). Runs with `openWhenHidden: true`, Node\'s `fetch` passed in and stand-ins for `document`/`window`.',
    uses: ['fetchEventSource'],
    setup: browserGuards,
    onePass: true,
    optional: true,
    run: fetchEventSource,
  },
  native: { label: 'Node native EventSource', uses: [], needs: 'native', run: (ctx) => eventSource(globalThis.EventSource, ctx) },
}

/**
 * What is wrong with a result, against what the fixture says a correct client sees ('' if nothing):
 * the event count, and the decoded length (`checks: 'text'`) or the data checksum and last id.
 */
export function checkResult(checks, result, expected) {
  const wrong = []
  if (result.count !== expected.count) wrong.push(`count ${result.count} ≠ ${expected.count}`)
  if (checks === 'text') {
    if (result.chars !== expected.chars) wrong.push(`decoded length ${result.chars} ≠ ${expected.chars}`)
  } else {
    if (result.checksum !== expected.checksum) wrong.push(`checksum ${result.checksum} ≠ ${expected.checksum}`)
    if (result.lastId !== expected.lastId) wrong.push(`last id "${result.lastId}" ≠ "${expected.lastId}"`)
  }
  return wrong.join(', ')
}
