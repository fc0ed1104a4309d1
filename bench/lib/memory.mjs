// Memory per idle open connection, in a fresh process per variant (forked with --expose-gc): open N
// streams to /idle (headers and one comment, then silence), collect garbage, compare with the
// baseline taken after a warm-up; then close them all, wait until the server has seen every socket
// go and memory has stopped falling, and compare once more (what close() failed to give back).
// Job: { variant, origin, connections, modules: {polyfill, polyfillNode, client} }.
import { get } from 'node:http'
import { pathToFileURL } from 'node:url'

const job = JSON.parse(process.env.BENCH_JOB)
const url = `${job.origin}/idle`

// What every variant holds per stream is one shared callback and the function that closes it, a
// closure over the stream alone; a closure per stream over the promise that waited for it to open
// would count ~0.4 KiB of this harness against the libraries.
const ignore = () => undefined
const closer = (stream, method) => () => stream[method]()

/** Resolves with a `close` function once `Source`'s stream is open; the stream keeps one `message` listener. */
function viaEventSource(Source, init) {
  return new Promise((resolve, reject) => {
    const source = new Source(url, init)
    const failed = () => reject(new Error('an idle stream failed'))
    source.addEventListener('message', ignore)
    source.addEventListener('error', failed)
    source.addEventListener(
      'open',
      () => {
        source.removeEventListener('error', failed)
        resolve(closer(source, 'close'))
      },
      { once: true },
    )
  })
}

/** The client's `onOpen` is one function for every stream: each call lets the oldest waiting open() go on. */
const waitingOpens = []
const clientOpened = () => {
  const next = waitingOpens.shift()
  if (next) next()
}

const load = (path) => import(pathToFileURL(path).href)

/** Each variant opens one idle stream and resolves with the function that closes it. */
const VARIANTS = {
  // A bare fetch stream: what every fetch-based client costs at least.
  fetch: async () => {
    const controller = new AbortController()
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, signal: controller.signal })
    const reader = response.body.getReader()
    await reader.read()
    reader.read().then(ignore, ignore)
    return closer(controller, 'abort')
  },
  // A bare node:http request: the floor of any Node transport.
  http: () =>
    new Promise((resolve, reject) => {
      const request = get(url, { headers: { accept: 'text/event-stream' } }, (response) => {
        response.once('data', () => {
          response.on('data', ignore)
          resolve(closer(request, 'destroy'))
        })
      })
      request.once('error', reject)
    }),
  polyfill: async () => {
    const { EventSource, fetchTransport } = await load(job.modules.polyfill)
    return viaEventSource(EventSource, { transport: fetchTransport })
  },
  'polyfill-node': async () => {
    const [{ EventSource }, { nodeTransport }] = await Promise.all([load(job.modules.polyfill), load(job.modules.polyfillNode)])
    return viaEventSource(EventSource, { transport: nodeTransport })
  },
  eventsource5: async () => viaEventSource((await import('eventsource5')).EventSource),
  eventsource4: async () => viaEventSource((await import('eventsource')).EventSource),
  client: async () => {
    const [{ connect }, { EventSource }] = await Promise.all([load(job.modules.client), load(job.modules.polyfill)])
    const stream = connect(url, { backend: EventSource, onOpen: clientOpened })
    stream.on('message', ignore)
    await new Promise((resolve) => waitingOpens.push(resolve))
    return closer(stream, 'close')
  },
}

const GRACE = 4000
// Only Node's fetch (undici) gives memory back seconds after its sockets closed (see settled()).
const ON_FETCH = ['fetch', 'polyfill', 'client', 'eventsource5', 'eventsource4']
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

/** Several full collections with turns of the event loop between, so finalizers and aborted streams settle. */
async function collect() {
  for (let i = 0; i < 5; i++) {
    globalThis.gc()
    await pause(40)
  }
  const usage = process.memoryUsage()
  return { heapExternal: usage.heapUsed + usage.external, rss: usage.rss }
}

/** How many /idle responses the server still holds open (asked on a socket of its own). */
function serverOpen() {
  return new Promise((resolve, reject) => {
    get(`${job.origin}/stats`, { agent: false }, (response) => {
      let body = ''
      response.on('data', (chunk) => (body += chunk))
      response.on('end', () => resolve(JSON.parse(body).idleOpen))
    }).once('error', reject)
  })
}

async function waitServerIdle() {
  for (let i = 0; i < 200; i++) {
    if ((await serverOpen()) === 0) return
    await pause(50)
  }
  throw new Error('the server still sees open streams 10 s after close()')
}

async function openMany(open, count) {
  const closers = []
  for (let i = 0; i < count; i += 50) {
    const batch = []
    for (let k = i; k < Math.min(count, i + 50); k++) batch.push(open())
    closers.push(...(await Promise.all(batch)))
  }
  return closers
}

/**
 * Waits `grace` ms, then collects until two readings agree within 64 KiB (at most ~6 s more). Node's
 * fetch (undici) lets go of a closed stream's objects in steps, the last about 3 s after the sockets
 * closed, so a reading right after close() counts memory that is on its way out.
 */
async function settled(grace) {
  await pause(grace)
  let last = await collect()
  for (let i = 0; i < 12; i++) {
    await pause(300)
    const now = await collect()
    if (Math.abs(now.heapExternal - last.heapExternal) < 64 * 1024) return now
    last = now
  }
  return last
}

async function main() {
  const open = VARIANTS[job.variant]
  // Warm-up: load every module and lazily built structure the variant needs, so the baseline has them.
  for (const close of await openMany(open, 20)) close()
  await waitServerIdle()
  // No grace here: what 20 closing streams still hold is noise against a thousand.
  const before = await settled(0)

  let closers = await openMany(open, job.connections)
  await pause(300)
  const held = await collect()

  for (const close of closers) close()
  closers = null
  await waitServerIdle()
  const after = await settled(ON_FETCH.includes(job.variant) ? GRACE : 0)

  const per = (a, b) => ({
    heapExternal: (a.heapExternal - b.heapExternal) / job.connections,
    rss: (a.rss - b.rss) / job.connections,
  })
  process.send({ ok: true, result: { open: per(held, before), afterClose: per(after, before) } }, () => process.exit(0))
}

main().catch((error) => process.send({ ok: false, error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)))
