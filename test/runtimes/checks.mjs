// The checks run.mjs runs in each runtime (Node as the control, Bun, Deno) against server.mjs at
// SSE_URL. Imports the packages by name, as a user's script does. Prints one line per check:
// `ok NAME` or `not ok NAME: WHY`.
import { connect } from '@ssekit/client'
import { EventSource } from '@ssekit/polyfill'

const base = process.env.SSE_URL
const TIMEOUT = 10_000
const expected = [['message', '1', 1], ['tick', '2', 2], ['message', '3', 3], ['tick', '4', 4]]

async function check(name, body) {
  let timer
  try {
    await Promise.race([body(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no result within ${TIMEOUT} ms`)), TIMEOUT)))])
    console.log(`ok ${name}`)
  } catch (error) {
    console.log(`not ok ${name}: ${String(error?.message ?? error).replace(/\n/g, ' ')}`)
  } finally {
    clearTimeout(timer)
  }
}

function assertEqual(actual, wanted, what) {
  if (JSON.stringify(actual) !== JSON.stringify(wanted)) throw new Error(`${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`)
}

/** Resolves once the server holds no open SSE response: what a closed client must leave. */
async function serverSawClose() {
  while (Number(await (await fetch(`${base}/open`)).text()) > 0) await new Promise((resolve) => setTimeout(resolve, 20))
}

/** The first `count` events of the polyfill's EventSource on `path`, as [type, id, n]. */
function polyfillEvents(path, count) {
  const source = new EventSource(`${base}${path}`)
  const events = []
  return new Promise((resolve) => {
    const take = (event) => {
      events.push([event.type, event.lastEventId, JSON.parse(event.data).n])
      if (events.length === count) {
        source.close()
        resolve(events)
      }
    }
    source.onmessage = take
    source.addEventListener('tick', take)
  })
}

/** The first `count` events of a client's `for await`, as [type, id, n]; `break` ends the loop. */
async function iterate(client, count) {
  const events = []
  for await (const { type, id, data } of client) {
    events.push([type, id, data.n])
    if (events.length === count) break
  }
  return events
}

// run.mjs sets NODE_ENV=production (and Deno may not read it): a runtime's build checks options anyway.
await check('a bad option is a TypeError naming it, under NODE_ENV=production too', async () => {
  let message = 'no error'
  try {
    connect(`${base}/events`, { retry: { maxRetries: 3 } }).close()
  } catch (error) {
    message = `${error.name}: ${error.message}`
  }
  assertEqual(message, 'TypeError: ssekit connect(): unknown option `retry.maxRetries`: did you mean `retry.maxAttempts`?', 'error')
})

await check('polyfill EventSource receives message and custom events with their ids', async () => {
  assertEqual(await polyfillEvents('/events', 4), expected, 'events')
  await serverSawClose()
})

await check('polyfill EventSource resumes a server-ended stream with Last-Event-ID, nothing lost or repeated', async () => {
  assertEqual(await polyfillEvents('/resume', 4), expected, 'events')
  await serverSawClose()
})

await check('client: typed on() gets decoded JSON, close() ends the connection', async () => {
  const client = connect(`${base}/events`, { decode: 'json' })
  const got = await new Promise((resolve) => {
    const seen = []
    const take = (type) => (data, event) => {
      seen.push([type, event.lastEventId, data.n])
      if (seen.length === 4) resolve(seen)
    }
    client.on('message', take('message'))
    client.on('tick', take('tick'))
  })
  client.close()
  assertEqual(got, expected, 'events')
  assertEqual(client.status, 'closed', 'status')
  await serverSawClose()
})

await check('client: for await with break stops at the break and closes the connection', async () => {
  const client = connect(`${base}/events`, { decode: 'json', events: ['tick'] })
  assertEqual(await iterate(client, 3), expected.slice(0, 3), 'events')
  assertEqual(client.status, 'closed', 'status')
  await serverSawClose()
})

// In Deno the client drives Deno's own EventSource, whose own reconnection sends the header.
await check('client resumes a server-ended stream with Last-Event-ID, nothing lost or repeated', async () => {
  const client = connect(`${base}/resume`, { decode: 'json', events: ['tick'], retry: { initialDelay: 50, jitter: 0 } })
  assertEqual(await iterate(client, 4), expected, 'events')
  await serverSawClose()
})

// Whether close() lets a process end by itself is exit.mjs's check; here a client that failed to
// close must not hold the run until run.mjs's timeout.
process.exit(0)
