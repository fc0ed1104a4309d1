import { expect, it } from 'vitest'
import { startServer, type RecordedRequest, type Script, type ScriptedServer } from '../server/scripted-server.ts'
import { chromiumSuite, serveBundles, servePage } from './chromium.ts'

// A cross-origin stream from a server set up for the browser's own EventSource only: it allows any
// origin and nothing else (no Access-Control-Allow-Headers), and it reads the id a reconnection
// resumes from wherever it comes (header or `lastEventId` query parameter). Chromium's own
// EventSource resumes there with no preflight; the polyfill's Last-Event-ID header needs one, which
// that server refuses. The polyfill must resume all the same.

const ctx = chromiumSuite()
let stream: ScriptedServer | undefined

/** The id a request resumes from: its header or its query, as the server reads it. */
const resumedFrom = (request: RecordedRequest) => request.headers['last-event-id'] ?? request.url.searchParams.get('lastEventId') ?? undefined

async function run(useNative: boolean): Promise<{ log: string[]; requests: RecordedRequest[] }> {
  stream = await startServer()
  stream.route('/notify', (request): Script => {
    // The preflight gets no Access-Control-Allow-Headers: the browser refuses the request it was for.
    if (request.method === 'OPTIONS') return { status: 204, headers: { 'access-control-allow-origin': '*', 'content-type': null } }
    const after = Number(resumedFrom(request) ?? 0)
    const body = [`retry: 100\nid: ${after + 1}\ndata: e${after + 1}\n\nid: ${after + 2}\ndata: e${after + 2}\n\n`]
    // The first connection drops after two events; the resumed one goes on.
    return { headers: { 'access-control-allow-origin': '*' }, body, hold: after > 0 }
  })
  ctx.server = await startServer()
  serveBundles(ctx.server)
  const make = useNative ? 'new EventSource(url)' : 'new SSEKitPolyfill.EventSource(url)'
  ctx.page = await ctx.browser.newPage()
  await ctx.page.goto(
    servePage(
      ctx.server,
      '/page.html',
      `<!doctype html><script src="/ssekit-polyfill.min.js"></script><script>
        var log = []
        var url = ${JSON.stringify(stream.url('/notify'))}
        var source = ${make}
        source.onmessage = function (e) { log.push(e.data + '#' + e.lastEventId) }
      </script>`,
    ),
  )
  const handle = await ctx.page.waitForFunction(() => ((window as unknown as { log: string[] }).log.length >= 4 ? (window as unknown as { log: string[] }).log : undefined), undefined, { timeout: 15_000 })
  const log = (await handle.jsonValue()) as string[]
  const requests = stream.requests('/notify').filter((request) => request.method === 'GET')
  await stream.close()
  return { log, requests }
}

it("Chromium's own EventSource resumes cross-origin through its header, with no preflight (the server this test proves)", async () => {
  const { log, requests } = await run(true)
  expect(log).toEqual(['e1#1', 'e2#2', 'e3#3', 'e4#4'])
  expect(requests.map((request) => request.headers['last-event-id'])).toEqual([undefined, '2'])
})

it('the polyfill resumes there too: the attempt whose preflight was refused is followed by one with the id in the query', async () => {
  const { log, requests } = await run(false)
  expect(log).toEqual(['e1#1', 'e2#2', 'e3#3', 'e4#4'])
  // The GET with the header never left the browser; the one with the query did.
  expect(requests.map((request) => [request.headers['last-event-id'], request.url.searchParams.get('lastEventId')])).toEqual([
    [undefined, null],
    [undefined, '2'],
  ])
  expect(stream!.requests('/notify').filter((request) => request.method === 'OPTIONS').length).toBeGreaterThanOrEqual(1)
})
