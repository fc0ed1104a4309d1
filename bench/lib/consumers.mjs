// The reference consumers the rows are measured against, each fed decoded text chunk by chunk: the
// ceiling's line scan, the limit (the field scan and one callback per event) and the floor
// (eventsource-parser, a MessageEvent and a dispatch per event). No Node API: the Chromium section's
// page runs the limit from this file too.
import { mix, SEED } from './checksum.mjs'
import { fieldScan } from './field-scan.mjs'

/**
 * The ceiling's line scan: `onText` takes each decoded chunk and cuts every line out as a string (a
 * line that spans chunks is joined once, from its fragments), counting the blank ones (one per event
 * in these fixtures). No field parsing, no event objects: the least any SSE consumer does.
 */
export function lineScan() {
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

/**
 * The limit: what any SSE consumer must do, with nothing else. The field scan (field-scan.mjs) and
 * one callback per event that reads its data: the count, checksum and last id of the `type` events,
 * as every EventSource row's listener keeps them. Every ratio in the report is to this consumer on
 * the same transport.
 */
export function limitConsumer(type) {
  let count = 0
  let checksum = SEED
  let lastId = ''
  const onText = fieldScan((eventType, data, id) => {
    if (eventType !== type) return
    count++
    checksum = mix(checksum, data)
    lastId = id
  })
  return { onText, result: () => ({ count, checksum, lastId }) }
}

/**
 * What the spec makes every event cost, on top of parsing: eventsource-parser fed `onText`'s chunks,
 * a `MessageEvent` built for each event (by `makeEvent(type, init)`: the platform's constructor
 * unless given) and dispatched on an `EventTarget` to one listener for `type`. No EventSource
 * state, no checks, no reconnection.
 */
export function floorConsumer(createParser, type, origin, makeEvent = (name, init) => new MessageEvent(name, init)) {
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
      target.dispatchEvent(makeEvent(event.event || 'message', { data: event.data, origin, lastEventId: lastId }))
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

