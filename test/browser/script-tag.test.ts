import { describe, expect, it } from 'vitest'
import { sse, startServer, type Route } from '../server/scripted-server.ts'
import { chromiumSuite, serveBundles, servePage } from './chromium.ts'

const ctx = chromiumSuite()

/** Serves `html` at /page.html (and `more` pages) with the bundles and the `/sse` route, and opens it in a new tab. */
async function open(html: string, route: Route = { hold: true }, more: Record<string, string> = {}): Promise<void> {
  ctx.server = await startServer()
  serveBundles(ctx.server)
  ctx.server.route('/sse', route)
  for (const [path, content] of Object.entries(more)) servePage(ctx.server, path, content)
  ctx.page = await ctx.browser.newPage()
  await ctx.page.goto(servePage(ctx.server, '/page.html', html))
}

/**
 * Opens `html` as an IE-class document: it runs in a same-origin iframe of a plain page, because
 * Playwright's evaluate() helpers need the very globals the IE-class document deletes. The test
 * reads the iframe's globals from the intact top page.
 */
async function openIEClass(html: string, route: Route): Promise<void> {
  await open('<!doctype html><iframe src="/ie.html"></iframe>', route, { '/ie.html': html })
}

type PageGlobals = Window & { log: string[]; frames: Window[] }

/** The page's `log` array (the IE-class iframe's, with `inFrame`) once it has `count` entries. */
async function logOf(count: number, inFrame = false): Promise<string[]> {
  const read = ({ n, frame }: { n: number; frame: boolean }) => {
    const scope = (frame ? window.frames[0] : window) as unknown as PageGlobals | undefined
    return scope && scope.log && scope.log.length >= n ? scope.log.slice() : undefined
  }
  const handle = await ctx.page.waitForFunction(read, { n: count, frame: inFrame }, { timeout: 10_000 })
  return (await handle.jsonValue()) as string[]
}

/** Evaluates `expression` in the IE-class iframe's scope, from the top page. */
function inFrame(expression: string): Promise<unknown> {
  return ctx.page.evaluate((code) => (window.frames[0] as unknown as { eval(code: string): unknown }).eval(code), expression)
}

/** A page script that logs what the source dispatches; `source` is a page global. */
const listen = `
  var log = [];
  var source = new EventSource('/sse');
  source.onopen = function () { log.push('open') };
  source.onmessage = function (e) { log.push('message:' + e.data + ':' + e.lastEventId) };
  source.addEventListener('myEvent', function (e) { log.push('myEvent:' + e.data) });
  source.onerror = function () { log.push('error:' + source.readyState) };
`

describe('ssekit-polyfill.min.js by <script> in Chromium', () => {
  it('installs window.EventSource where it was deleted, and receives message and myEvent events', async () => {
    await open(`<!doctype html><meta charset="utf-8">
      <script>delete window.EventSource; var before = typeof window.EventSource;</script>
      <script src="/ssekit-polyfill.min.js"></script>
      <script>${listen}</script>`,
      { body: [sse({ id: '1', data: 'hello' }), sse({ event: 'myEvent', data: 'custom' })], hold: true })

    expect(await logOf(3)).toEqual(['open', 'message:hello:1', 'myEvent:custom'])
    expect(await ctx.page.evaluate('before')).toBe('undefined')
    expect(await ctx.page.evaluate('window.EventSource === SSEKitPolyfill.EventSource')).toBe(true)
    expect(ctx.server.requests('/sse')[0]!.headers['accept']).toBe('text/event-stream')
    await ctx.page.evaluate('source.close()')
    await ctx.server.waitForClosed('/sse')
    expect(ctx.browser.errors).toEqual([])
  })

  it('leaves a native EventSource in place', async () => {
    await open(`<!doctype html>
      <script>var native = window.EventSource;</script>
      <script src="/ssekit-polyfill.min.js"></script>`)
    expect(await ctx.page.evaluate('typeof native')).toBe('function')
    expect(await ctx.page.evaluate('window.EventSource === native && window.EventSource !== SSEKitPolyfill.EventSource')).toBe(true)
  })
})

describe('ssekit-polyfill.min.js in an IE-class page (no fetch, streams, EventSource, Promise, TextDecoder, Symbol, Map)', () => {
  // Deleted before the bundle loads, as far as a page can: `left` lists any that would not go.
  const strip = `<script>
    var stripped = ['fetch', 'ReadableStream', 'EventSource', 'Promise', 'TextDecoder', 'TextEncoder', 'Symbol',
      'Map', 'Set', 'WeakMap', 'AbortController', 'URL', 'globalThis'];
    for (var i = 0; i < stripped.length; i++) delete window[stripped[i]];
    var left = [];
    for (var j = 0; j < stripped.length; j++) if (typeof window[stripped[j]] !== 'undefined') left.push(stripped[j]);
  </script>`

  it('streams events over XHR, reconnects with Last-Event-ID, and close() ends the connection', async () => {
    await openIEClass(`<!doctype html><meta charset="utf-8">${strip}
      <script src="/ssekit-polyfill.min.js"></script>
      <script>${listen}</script>`, [
      // First connection: two events, then the server ends the body; the client must come back after 50 ms.
      { body: [sse({ retry: 50, id: '41', data: 'first' }), sse({ event: 'myEvent', data: 'custom' })] },
      { body: [sse({ id: '42', data: 'second' })], hold: true },
    ])

    expect(await logOf(6, true)).toEqual(['open', 'message:first:41', 'myEvent:custom', 'error:0', 'open', 'message:second:42'])
    const requests = ctx.server.requests('/sse')
    expect(requests).toHaveLength(2)
    expect(requests[0]!.headers['last-event-id']).toBeUndefined()
    expect(requests[1]!.headers['last-event-id']).toBe('41')
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(50)
    expect(await inFrame('left')).toEqual([])
    expect(await inFrame('window.EventSource === SSEKitPolyfill.EventSource')).toBe(true)

    expect(ctx.server.openResponses('/sse')).toBe(1)
    await inFrame('source.close()')
    await ctx.server.waitForClosed('/sse')
    expect(await inFrame('source.readyState')).toBe(2)
    expect(await inFrame('log.length')).toBe(6)
    expect(ctx.server.requests('/sse')).toHaveLength(2)
    expect(ctx.browser.errors).toEqual([])
  })

  it('dispatches nothing after close(), not even an event that arrived in the same chunk', async () => {
    await openIEClass(`<!doctype html><meta charset="utf-8">${strip}
      <script src="/ssekit-polyfill.min.js"></script>
      <script>
        var log = [];
        var source = new EventSource('/sse');
        source.onmessage = function (e) { log.push(e.data); if (e.data === 'one') source.close() };
        source.onerror = function () { log.push('error') };
      </script>`,
      { body: [sse({ data: 'one' }) + sse({ data: 'two' }), { wait: 100 }, sse({ data: 'three' })], hold: true })

    expect(await logOf(1, true)).toEqual(['one'])
    // 'two' came in the same chunk, so a buggy source would have dispatched it in the same task as 'one'.
    await ctx.server.waitForClosed('/sse')
    expect(await inFrame('log')).toEqual(['one'])
    expect(ctx.server.requests('/sse')).toHaveLength(1)
  })
})

describe('ssekit.min.js (client + polyfill) by <script> in Chromium', () => {
  // What an IE-class page lacks, deleted before the bundle loads.
  const stripForClient = `<script>
        var stripped = ['fetch', 'ReadableStream', 'EventSource', 'Promise', 'TextDecoder', 'Symbol', 'Map', 'globalThis'];
        for (var i = 0; i < stripped.length; i++) delete window[stripped[i]];
      </script>`

  it('connects and decodes events in an IE-class page, where it must use the bundled polyfill', async () => {
    await openIEClass(`<!doctype html><meta charset="utf-8">
      ${stripForClient}
      <script src="/ssekit.min.js"></script>
      <script>
        var log = [];
        var client = SSEKit.connect('/sse', { decode: 'json' });
        client.on('message', function (data) { log.push('message:' + data.n) });
        client.on('myEvent', function (data) { log.push('myEvent:' + data.text) });
      </script>`,
      { body: [sse({ id: '1', data: '{"n":1}' }), sse({ event: 'myEvent', data: '{"text":"hi"}' })], hold: true })

    expect(await logOf(2, true)).toEqual(['message:1', 'myEvent:hi'])
    expect(await inFrame('typeof window.EventSource')).toBe('undefined')
    await inFrame('client.close()')
    await ctx.server.waitForClosed('/sse')
    expect(ctx.browser.errors).toEqual([])
  })

  it('POSTs a body over XHR from an IE-class page, and an answer that ends at [DONE] is asked for once (issue 12)', async () => {
    const bodies: string[] = []
    const answer = (request: { index: number; body: string }) => {
      bodies[request.index] = request.body
      return { body: [sse({ data: '{"t":"Hel"}' }), sse({ data: '{"t":"lo"}' }), sse({ data: '[DONE]' })], hold: true }
    }
    await openIEClass(`<!doctype html><meta charset="utf-8">
      ${stripForClient}
      <script src="/ssekit.min.js"></script>
      <script>
        var log = [];
        var client = SSEKit.connect('/sse', {
          method: 'POST',
          headers: function (info) { return { 'Content-Type': 'application/json', Authorization: 'Bearer t' + info.attempt } },
          body: '{"prompt":"hi"}',
          decode: 'json',
          terminator: { data: '[DONE]' },
          onClose: function (info) { log.push('close ' + info.reason) }
        });
        client.on('message', function (data) { log.push(data.t) });
      </script>`,
      answer as never)

    expect(await logOf(3, true)).toEqual(['Hel', 'lo', 'close done'])
    await ctx.server.waitForClosed('/sse')
    const requests = ctx.server.requests('/sse')
    expect(requests.map((r) => [r.method, r.headers['content-type'], r.headers['authorization']])).toEqual([['POST', 'application/json', 'Bearer t0']])
    expect(bodies).toEqual(['{"prompt":"hi"}'])
    expect(await inFrame('typeof window.fetch + " " + typeof window.EventSource')).toBe('undefined undefined')
    expect(ctx.browser.errors).toEqual([])
  })

  it('uses the native EventSource in a modern page', async () => {
    await open(`<!doctype html><meta charset="utf-8">
      <script>
        // Counts the sources made through the platform's class (a subclass keeps instanceof working).
        var made = 0;
        var Native = window.EventSource;
        window.EventSource = class extends Native { constructor(url, init) { super(url, init); made++ } };
      </script>
      <script src="/ssekit.min.js"></script>
      <script>
        var log = [];
        var client = SSEKit.connect('/sse');
        client.on('message', function (data) { log.push(data) });
      </script>`,
      { body: [sse({ data: 'native' })], hold: true })

    expect(await logOf(1)).toEqual(['native'])
    expect(await ctx.page.evaluate('made')).toBe(1)
    await ctx.page.evaluate('client.close()')
    await ctx.server.waitForClosed('/sse')
  })
})
