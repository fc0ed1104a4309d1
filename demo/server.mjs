// The demo's HTTP server: `/notify` is the SSE stream (see feed.mjs), `POST /drop` destroys every
// open /notify response (the page's "drop all connections" button), and the page and the
// script-tag bundles are served at the paths a user's app would give them.
import { createServer } from 'node:http'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { startFeed } from './feed.mjs'

const require = createRequire(import.meta.url)
const page = (name) => fileURLToPath(new URL(`./public/${name}`, import.meta.url))
const js = 'text/javascript; charset=utf-8'

/** Each served path: the file and its content type. */
const files = {
  '/': [page('index.html'), 'text/html; charset=utf-8'],
  '/ie.html': [page('ie.html'), 'text/html; charset=utf-8'],
  '/style.css': [page('style.css'), 'text/css; charset=utf-8'],
  '/panels.js': [page('panels.js'), js],
  '/ids.js': [page('ids.js'), js],
  '/favicon.ico': [page('favicon.svg'), 'image/svg+xml'],
}
// The bundles, found through the packages' `exports` as a user's server would, at the URL a page
// that serves its node_modules would use.
for (const [name, bundle] of [['client', 'ssekit.min.js'], ['polyfill', 'ssekit-polyfill.min.js']]) {
  const file = require.resolve(`@ssekit/${name}/${bundle}`)
  files[`/node_modules/@ssekit/${name}/dist/${bundle}`] = [file, js]
  files[`/node_modules/@ssekit/${name}/dist/${bundle}.map`] = [`${file}.map`, 'application/json']
}

/** The SSE text of one feed event. */
const frame = ({ id, type, data }) => `${type === 'message' ? '' : `event: ${type}\n`}id: ${id}\ndata: ${data}\n\n`

/**
 * Starts the demo server; resolves with its `url`, `dropAll()` and `close()`. Rejects with the
 * listen error (`EADDRINUSE` when the port is taken).
 */
export async function startDemoServer({ port = 3000, host = '127.0.0.1' } = {}) {
  const feed = startFeed()
  const streams = new Set()

  /** A /notify connection: a welcome, the events it missed after the id it names, then live ones. */
  const notify = (req, res) => {
    const header = req.headers['last-event-id']
    const query = new URL(req.url, 'http://x').searchParams.get('lastEventId')
    const lastEventId = header ?? query ?? ''
    const missed = feed.since(lastEventId)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    // The welcome has no id field, so it leaves the client's last event id as it was: the page shows
    // from it what the server was told.
    const via = header !== undefined ? 'header' : query !== null ? 'query' : null
    res.write(`retry: 1000\n\nevent: welcome\ndata: ${JSON.stringify({ lastEventId, via, replayed: missed.length })}\n\n`)
    for (const event of missed) res.write(frame(event))
    // All in one turn of the event loop: no tick falls between the replay and the live events.
    const stop = feed.listen((event) => res.write(frame(event)))
    streams.add(res)
    res.on('close', () => {
      stop()
      streams.delete(res)
    })
  }

  /** Destroys every open /notify response, as a crashed proxy or a dropped network would. */
  const dropAll = () => {
    const count = streams.size
    for (const res of streams) res.destroy()
    return count
  }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/notify') return notify(req, res)
    if (path === '/drop' && req.method === 'POST') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ dropped: dropAll() }))
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
      res.writeHead(500, { 'content-type': 'text/plain' }).end(`missing ${file[0]}: run \`npx -y pnpm@10.34.9 build\` first`)
    }
  })
  await new Promise((resolve, reject) => {
    server.once('error', (error) => {
      feed.stop()
      reject(error)
    })
    server.listen(port, host, resolve)
  })
  return {
    url: `http://${host}:${server.address().port}`,
    dropAll,
    /** Stops the feed, ends every stream and closes the server. */
    close() {
      feed.stop()
      dropAll()
      server.closeAllConnections()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}
