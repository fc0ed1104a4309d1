// `pnpm demo`: starts the demo server and consumes /notify through @ssekit/client in this Node
// process, printing each event. Halfway it drops every connection on the server side, as the
// page's button does: the client resumes from its last id, and the run checks that no id was
// skipped or repeated (exit code 1 if one was).
//   (no flag)          stop after 8 events, on a free port
//   --duration SECONDS stop after that long
//   --forever          keep going on port 3000: open the printed URL for the page
//   --port N           listen on N
import { parseArgs } from 'node:util'
import { connect } from '@ssekit/client'
import { idCounter } from './public/ids.js'
import { startDemoServer } from './server.mjs'

const usage = 'usage: pnpm demo [--duration SECONDS | --forever] [--port N]'
let flags
try {
  flags = parseArgs({ options: { duration: { type: 'string' }, forever: { type: 'boolean' }, port: { type: 'string' } } }).values
} catch (error) {
  console.error(`${error.message}\n${usage}`)
  process.exit(1)
}
const duration = flags.duration === undefined ? undefined : Number(flags.duration)
const port = flags.port === undefined ? (flags.forever ? 3000 : 0) : Number(flags.port)
if ((duration !== undefined && !(duration > 0)) || !Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(usage)
  process.exit(1)
}

let demo
try {
  demo = await startDemoServer({ port })
} catch (error) {
  if (error.code !== 'EADDRINUSE') throw error
  console.error(`port ${port} is already in use on 127.0.0.1: stop what holds it, or pick another with --port N`)
  process.exit(1)
}
console.log(`demo server on ${demo.url} (open ${demo.url}/ in a browser to see it there too)`)

const sse = connect(`${demo.url}/notify`, {
  decode: 'json',
  events: ['myEvent', 'welcome'],
  onOpen: ({ attempt }) => console.log(attempt ? `reconnected (attempt ${attempt})` : `connected to ${demo.url}/notify`),
  onReconnecting: ({ attempt, delay, lastEventId }) => console.log(`reconnecting (attempt ${attempt}) in ${delay} ms, from id ${lastEventId}`),
})
sse.on('welcome', ({ lastEventId, via, replayed }) => {
  if (lastEventId) console.log(`  the server was sent Last-Event-ID ${lastEventId} (${via}) and replays ${replayed} missed event(s)`)
})

const drop = () => console.log(`dropping every connection on the server side (the page's button): ${demo.dropAll()} dropped`)
const limit = flags.forever || duration ? Infinity : 8
if (duration) {
  setTimeout(drop, duration * 500)
  setTimeout(() => sse.close(), duration * 1000)
}

const ids = idCounter()
let count = 0
for await (const { type, data, id } of sse) {
  if (type === 'welcome') continue
  ids.see(id)
  const shown = type === 'message' ? `Date.now() = ${data} (${new Date(data).toISOString()})` : JSON.stringify(data)
  console.log(`#${++count} ${type.padEnd(7)} id=${id} ${shown}`)
  if (count === limit / 2) drop()
  if (count >= limit) break // leaving the loop closes the connection
}
const { gaps, repeats, first, last } = ids.counts
console.log(`received ${count} events, ids ${first}–${last}: gaps ${gaps}, repeats ${repeats}; status is now ${sse.status}`)
await demo.close()
process.exitCode = count > 0 && gaps === 0 && repeats === 0 ? 0 : 1
