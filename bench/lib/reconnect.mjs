// Reconnection delay against a server that says `retry: 50` and then ends each response: the time
// from the moment the client learns the stream ended (the `error` event; for @ssekit/client its
// `onReconnecting` hook) to the next request's `fetch` call, minus the requested 50 ms, over a number
// of reconnections. Job: { variant, origin, reconnects, modules: {polyfill, client} }.
import { pathToFileURL } from 'node:url'

const job = JSON.parse(process.env.BENCH_JOB)
const url = `${job.origin}/retry`
const RETRY = 50
const load = (path) => import(pathToFileURL(path).href)

/** Opens a source on `fetch`; calls `ended()` at each end of stream until it returns true, then resolves. */
const OPENERS = {
  polyfill: async (fetch, ended) => {
    const { EventSource, createFetchTransport } = await load(job.modules.polyfill)
    return viaEventSource(EventSource, { transport: createFetchTransport(fetch) }, ended)
  },
  eventsource5: async (fetch, ended) => viaEventSource((await import('eventsource5')).EventSource, { fetch }, ended),
  eventsource4: async (fetch, ended) => viaEventSource((await import('eventsource')).EventSource, { fetch }, ended),
  client: async (fetch, ended) => {
    const { connect } = await load(job.modules.client)
    return new Promise((resolve) => {
      // `fetch` selects the polyfill as the client's backend; returning false from the hook stops it.
      // A constant 1 ms backoff without jitter leaves the server's `retry: 50` as the delay (it is
      // the policy's floor); the client's defaults (1 s doubling, jittered) would wait longer on purpose.
      connect(url, { fetch, retry: { initialDelay: 1, factor: 1, jitter: 0 }, onReconnecting: () => !ended(), onClose: () => resolve() })
    })
  },
}

function viaEventSource(EventSource, init, ended) {
  return new Promise((resolve) => {
    const source = new EventSource(url, init)
    source.addEventListener('error', () => {
      if (!ended()) return
      source.close()
      resolve()
    })
  })
}

async function main() {
  const calls = []
  const ends = []
  // Every client here takes a `fetch` to use: a wrapper notes when each request starts.
  const timedFetch = (input, init) => {
    calls.push(performance.now())
    return fetch(input, init)
  }
  // eventsource 5 unrefs its reconnection timer; this keeps the process alive while it waits.
  const keepAlive = setInterval(() => undefined, 1000)
  await OPENERS[job.variant](timedFetch, () => ends.push(performance.now()) > job.reconnects)
  clearInterval(keepAlive)
  // Request i+1 follows the end of stream i.
  const overshoot = []
  for (let i = 0; i < job.reconnects; i++) overshoot.push(calls[i + 1] - ends[i] - RETRY)
  process.send({ ok: true, result: { overshoot } }, () => process.exit(0))
}

main().catch((error) => process.send({ ok: false, error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)))
