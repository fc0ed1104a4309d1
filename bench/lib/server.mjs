// The benchmark's SSE server, run in its own process (forked by run.mjs) so that serving never competes
// with the client under test for the same event loop. Every fixture is generated before the first
// request; a request for a workload gets its pre-built bytes, written as fast as the socket takes them.
//
// Routes: /w/NAME (a workload, then the response ends), /ping (a tiny stream, to warm a client up),
// /idle (headers and one comment, then held open), /retry (`retry: 50` and one event, then ends),
// /stats (JSON: how many /idle responses are open), /static/FILE (the Chromium section's page and
// scripts, from BENCH_STATIC, so that the page's requests are same-origin).
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { generate, WORKLOADS } from './fixtures.mjs'

const scale = Number(process.env.BENCH_SCALE || 1)
const only = process.env.BENCH_WORKLOADS ? process.env.BENCH_WORKLOADS.split(',') : Object.keys(WORKLOADS)
// Served names of smaller workloads, e.g. {"chromium-tokens": ["tokens", 0.5]} (scale relative to BENCH_SCALE).
const extra = JSON.parse(process.env.BENCH_EXTRA_WORKLOADS || '{}')
const WRITE_SIZE = 64 * 1024

const bodies = Object.create(null)
const expected = Object.create(null)
for (const [name, workload, factor] of [...only.map((name) => [name, name, 1]), ...Object.entries(extra).map(([name, [workload, factor]]) => [name, workload, factor])]) {
  const fixture = generate(workload, scale * factor)
  bodies[name] = fixture.body
  expected[name] = fixture.expected
}
const STATIC_TYPES = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8' }

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }
let idleOpen = 0

/** Writes `body` in 64 KiB slices, waiting for `drain` whenever the socket's buffer is full. */
function stream(res, body) {
  let at = 0
  const more = () => {
    while (at < body.length) {
      const slice = body.subarray(at, at + WRITE_SIZE)
      at += slice.length
      if (!res.write(slice)) return void res.once('drain', more)
    }
    res.end()
  }
  more()
}

const server = createServer((req, res) => {
  const path = req.url.split('?')[0]
  if (path.startsWith('/w/') && bodies[path.slice(3)]) {
    res.writeHead(200, SSE_HEADERS)
    stream(res, bodies[path.slice(3)])
  } else if (path === '/ping') {
    res.writeHead(200, SSE_HEADERS)
    res.end('data: ping\n\n')
  } else if (path === '/idle') {
    idleOpen++
    res.once('close', () => idleOpen--)
    res.writeHead(200, SSE_HEADERS)
    res.write(':\n\n')
  } else if (path === '/retry') {
    res.writeHead(200, SSE_HEADERS)
    res.end('retry: 50\ndata: x\n\n')
  } else if (path.startsWith('/static/') && process.env.BENCH_STATIC && /^[\w.-]+$/.test(path.slice(8))) {
    const name = path.slice(8)
    res.writeHead(200, { 'content-type': STATIC_TYPES[name.split('.').pop()] || 'application/octet-stream', 'cache-control': 'no-store' })
    res.end(readFileSync(`${process.env.BENCH_STATIC}/${name}`))
  } else if (path === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ idleOpen }))
  } else {
    res.writeHead(404)
    res.end()
  }
})
// Thousands of connections arrive at once in the memory test; a short backlog would drop SYNs
// and add a second of retransmission to some of them.
server.listen({ host: '127.0.0.1', port: 0, backlog: 4096 }, () => {
  process.send({ type: 'ready', origin: `http://127.0.0.1:${server.address().port}`, expected })
})
process.on('disconnect', () => process.exit(0))
