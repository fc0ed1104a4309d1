// The SSE server the runtimes suite talks to: node:http on 127.0.0.1, started by run.mjs.
//   /events  four events (message, tick, message, tick) with ids 1–4, then held open
//   /resume  reads only the Last-Event-ID header, as most servers do: without it, ids 1–2 and the
//            end of the stream; with it, the events after that id, then held open. A client that
//            resumes any other way gets 1–2 again: a repeat the checks see.
//   /open    how many SSE responses are still open (a closed client must leave none)
import { createServer } from 'node:http'

const EVENTS = [
  { id: '1', data: '{"n":1}' },
  { id: '2', event: 'tick', data: '{"n":2}' },
  { id: '3', data: '{"n":3}' },
  { id: '4', event: 'tick', data: '{"n":4}' },
]
const frame = ({ id, event, data }) => `${event ? `event: ${event}\n` : ''}id: ${id}\ndata: ${data}\n\n`

/** Starts the server; resolves with its base URL and `close()`. */
export async function startServer() {
  const open = new Set()
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/open') return res.writeHead(200, { 'content-type': 'application/json' }).end(String(open.size))
    if (path !== '/events' && path !== '/resume') return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
    open.add(res)
    res.on('close', () => open.delete(res))
    res.write('retry: 50\n\n')
    if (path === '/events') return res.write(EVENTS.map(frame).join(''))
    const after = EVENTS.findIndex((event) => event.id === req.headers['last-event-id'])
    if (after < 0) return res.end(EVENTS.slice(0, 2).map(frame).join(''))
    res.write(EVENTS.slice(after + 1).map(frame).join(''))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      for (const res of open) res.destroy()
      return new Promise((resolve) => server.close(resolve))
    },
  }
}
