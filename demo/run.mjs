// `pnpm demo`: starts the demo server and consumes /notify through @ssekit/client in this Node
// process, printing each event. Stops after a handful of events; `pnpm demo --forever` keeps going
// (and the page at the printed URL shows the same stream in a browser).
import { connect } from '../packages/client/dist/index.mjs'
import { startDemoServer } from './server.mjs'

const forever = process.argv.includes('--forever')
const limit = forever ? Infinity : 8
const { server, url } = await startDemoServer(Number(process.env.PORT ?? (forever ? 3000 : 0)))
console.log(`demo server on ${url} (open ${url}/ in a browser to see it there too)`)

const sse = connect(`${url}/notify`, {
  decode: 'json',
  events: ['myEvent'],
  onOpen: () => console.log(`connected to ${url}/notify`),
  onReconnecting: ({ attempt, delay }) => console.log(`reconnecting (attempt ${attempt}) in ${delay} ms`),
})
sse.on('myEvent', (data) => console.log(`  myEvent says ${JSON.stringify(data.text)}`))

let count = 0
for await (const { type, data, id } of sse) {
  const shown = type === 'message' ? `Date.now() = ${data} (${new Date(data).toISOString()})` : JSON.stringify(data)
  console.log(`#${++count} ${type.padEnd(7)} id=${id} ${shown}`)
  if (count >= limit) break // leaving the loop closes the connection
}
console.log(`received ${count} events; status is now ${sse.status}`)
server.close()
