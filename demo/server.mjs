// The demo's SSE server: `/notify` sends `Date.now()` every second and, every third second, an
// `event: myEvent` message; `/` serves a page that receives the same stream in the browser.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const files = {
  '/': [here('./index.html'), 'text/html; charset=utf-8'],
  '/ssekit.min.js': [here('../packages/client/dist/ssekit.min.js'), 'text/javascript'],
}

/** Starts the demo server; resolves with the server and its base URL. */
export function startDemoServer(port = 3000, host = '127.0.0.1') {
  let nextId = Number(Date.now())
  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/notify') {
      const resumeFrom = req.headers['last-event-id'] ?? new URL(req.url, 'http://x').searchParams.get('lastEventId')
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' })
      res.write(`: connected${resumeFrom ? `, resuming after ${resumeFrom}` : ''}\nretry: 2000\n\n`)
      let tick = 0
      const timer = setInterval(() => {
        tick++
        res.write(`id: ${nextId++}\ndata: ${Date.now()}\n\n`)
        if (tick % 3 === 0) res.write(`event: myEvent\nid: ${nextId++}\ndata: ${JSON.stringify({ text: `tick ${tick}`, at: new Date().toISOString() })}\n\n`)
      }, 1000)
      req.on('close', () => clearInterval(timer))
      return
    }
    const file = files[path]
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    try {
      res.writeHead(200, { 'content-type': file[1] }).end(await readFile(file[0]))
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`missing ${file[0]}: run pnpm build first`)
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve({ server, url: `http://${host}:${server.address().port}` }))
  })
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startDemoServer(Number(process.env.PORT ?? 3000))
  console.log(`demo server on ${url} — open ${url}/ in a browser, or curl -N ${url}/notify`)
}
