import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build as esbuild } from 'esbuild'
import { createServer as createViteServer } from 'vite'
import { beforeAll, describe, expect, it } from 'vitest'
import { makeApp } from '../../bench/lib/consumer.mjs'
import { sse, startServer, type Route } from '../server/scripted-server.ts'
import { chromiumSuite, serveBundles, servePage } from './chromium.ts'

// @ssekit/client in Chromium: from ssekit.min.js (global SSEKit) and from the ESM build (through an
// import map), over Chromium's own EventSource and over the polyfill.
const ctx = chromiumSuite()

const file = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

/** The ESM builds and eventsource-parser's ES modules, by the URL the import map gives them. */
const esmFiles: Record<string, string> = {
  '/esm/client/index.mjs': file('packages/client/dist/index.mjs'),
  '/esm/client/polyfilled.mjs': file('packages/client/dist/polyfilled.mjs'),
  '/esm/polyfill/index.mjs': file('packages/polyfill/dist/index.mjs'),
  '/esm/eventsource-parser/index.js': file('packages/polyfill/node_modules/eventsource-parser/dist/index.js'),
  '/esm/eventsource-parser/parse.js': file('packages/polyfill/node_modules/eventsource-parser/dist/parse.js'),
  '/esm/eventsource-parser/errors.js': file('packages/polyfill/node_modules/eventsource-parser/dist/errors.js'),
}

type Build = 'ssekit.min.js' | 'ESM build' | 'production app bundle' | 'development app bundle'

/**
 * What an app's bundler makes of `@ssekit/client` (and `/polyfilled`): esbuild, browser conditions
 * (so the `browser` builds), as a global `SSEKit`. Minified, esbuild makes `process.env.NODE_ENV`
 * 'production', so the option checks are left out; not minified, 'development'.
 */
const appBundles: Record<string, string> = {}
beforeAll(async () => {
  const app = makeApp()
  try {
    for (const mode of ['production', 'development']) {
      for (const entry of ['index', 'polyfilled']) {
        const contents = `export * from '@ssekit/client${entry === 'index' ? '' : '/polyfilled'}'`
        const out = await esbuild({ stdin: { contents, resolveDir: app }, bundle: true, minify: mode === 'production', format: 'iife', globalName: 'SSEKit', platform: 'browser', target: 'es2018', write: false })
        appBundles[`/app-${mode}-${entry}.js`] = out.outputFiles[0]!.text
      }
    }
  } finally {
    rmSync(app, { recursive: true, force: true })
  }
})

/**
 * How a page gets `SSEKit.connect`: the script-tag bundle, the ES modules (`@ssekit/client`, or
 * `@ssekit/client/polyfilled` for a page that needs the polyfill), or an app's bundle of them.
 */
function loader(build: Build, entry: 'index' | 'polyfilled'): string {
  if (build === 'ssekit.min.js') return '<script src="/ssekit.min.js"></script><script>window.ready = true</script>'
  if (build.endsWith('app bundle')) return `<script src="/app-${build.split(' ')[0]}-${entry}.js"></script><script>window.ready = true</script>`
  return `<script type="importmap">${JSON.stringify({ imports: { '@ssekit/polyfill': '/esm/polyfill/index.mjs', 'eventsource-parser': '/esm/eventsource-parser/index.js' } })}</script>
    <script type="module">import * as SSEKit from '/esm/client/${entry}.mjs'; window.SSEKit = SSEKit; window.ready = true</script>`
}

async function open(build: Build, route: Route, entry: 'index' | 'polyfilled' = 'index'): Promise<void> {
  ctx.browser.errors.length = 0
  ctx.server = await startServer()
  serveBundles(ctx.server)
  for (const [path, source] of Object.entries(esmFiles)) {
    if (!existsSync(source)) throw new Error(`${source} is missing: run \`npx -y pnpm@10.34.9 build\` first`)
    ctx.server.file(path, { file: source }, 'text/javascript; charset=utf-8')
  }
  for (const [path, content] of Object.entries(appBundles)) ctx.server.file(path, { content }, 'text/javascript; charset=utf-8')
  ctx.server.route('/sse', route)
  ctx.page = await ctx.browser.newPage()
  await ctx.page.goto(servePage(ctx.server, '/page.html', `<!doctype html><meta charset="utf-8">${loader(build, entry)}`))
  await ctx.page.waitForFunction('window.ready === true')
}

/** The page's errors, but for Chromium's console line about the 500 the script answers on purpose. */
const unexpectedErrors = () => ctx.browser.errors.filter((line) => !/Failed to load resource: .*status of 500/.test(line))

/** The page's `log` once it has `count` entries. */
async function logOf(count: number): Promise<string[]> {
  const handle = await ctx.page.waitForFunction((n) => {
    const log = (window as unknown as { log?: string[] }).log
    return log && log.length >= n ? log.slice() : undefined
  }, count, { timeout: 10_000 })
  return (await handle.jsonValue()) as string[]
}

/** The page program: a typed-JSON client that logs what it sees. `backend` picks the EventSource. */
const program = (backend: 'auto' | 'polyfill') => `
  window.log = [];
  window.sse = SSEKit.connect('/sse', {
    backend: '${backend}',
    decode: 'json',
    events: ['tick'],
    retry: { initialDelay: 50, jitter: 0 },
    ${backend === 'polyfill' ? "headers: function (info) { return { authorization: 'token-' + info.attempt } }," : ''}
    onOpen: function (info) { log.push('open ' + info.attempt) },
    onReconnecting: function (info) { log.push('reconnecting ' + info.attempt + ' ' + info.delay + ' ' + info.cause.code + (info.cause.status ? ' ' + info.cause.status : '') + ' from ' + info.lastEventId + (info.byBackend ? ' by the backend' : '')) },
    onError: function (info) { log.push('error ' + info.error.name) },
    onClose: function (info) { log.push('close ' + info.reason) }
  });
  log.push('backend ' + sse.backend);
  sse.on('tick', function (n) { log.push('tick ' + n + '@' + sse.lastEventId) });
  sse.on('message', function (data) { log.push('message ' + data.text + '@' + sse.lastEventId) });
`

/** Two events with ids and the end of the stream; a 500; then one more event, held open. */
const script: Route = [
  { body: [sse({ event: 'tick', data: '1', id: '1' }), sse({ data: '{"text":"hi"}', id: '2' })] },
  { status: 500 },
  { body: [sse({ event: 'tick', data: '3', id: '3' })], hold: true },
]

describe.each(['ssekit.min.js', 'ESM build', 'production app bundle', 'development app bundle'] as const)('@ssekit/client from %s in Chromium', (build) => {
  it("over Chromium's EventSource: leaves a drop to its own reconnection (the header), re-creates it where it fails on 500 (the query)", async () => {
    // `retry: 50`: Chromium's own wait before its reconnection.
    await open(build, [{ body: ['retry: 50\n\n', ...(script as { body: string[] }[])[0]!.body] }, ...(script as object[]).slice(1)] as Route)
    await ctx.page.evaluate(program('auto'))
    expect(await logOf(8)).toEqual([
      'backend native',
      'open 0',
      'tick 1@1',
      'message hi@2',
      // The platform's EventSource tells neither the status nor whether the stream ended or broke.
      'reconnecting 1 0 network from 2 by the backend',
      'reconnecting 2 100 unknown from 2',
      'open 2',
      'tick 3@3',
    ])
    const requests = ctx.server.requests('/sse')
    expect(requests.map((r) => r.headers['last-event-id'] ?? null)).toEqual([null, '2', null])
    expect(requests.map((r) => r.url.searchParams.get('lastEventId'))).toEqual([null, null, '2'])
    await ctx.page.evaluate('sse.close()')
    await ctx.server.waitForClosed('/sse')
    expect(await ctx.page.evaluate('sse.status + " " + log[log.length - 1]')).toBe('closed close close')
    expect(unexpectedErrors()).toEqual([])
  })

  it('over the polyfill: statuses, the Last-Event-ID header and per-attempt headers', async () => {
    await open(build, script, 'polyfilled')
    await ctx.page.evaluate(program('polyfill'))
    expect(await logOf(8)).toEqual([
      'backend polyfill',
      'open 0',
      'tick 1@1',
      'message hi@2',
      'reconnecting 1 50 stream-ended from 2',
      'reconnecting 2 100 http-status 500 from 2',
      'open 2',
      'tick 3@3',
    ])
    const requests = ctx.server.requests('/sse')
    expect(requests.map((r) => r.headers['last-event-id'])).toEqual([undefined, '2', '2'])
    expect(requests.map((r) => r.headers['authorization'])).toEqual(['token-0', 'token-1', 'token-2'])
    await ctx.page.evaluate('sse.close()')
    await ctx.server.waitForClosed('/sse')
    expect(unexpectedErrors()).toEqual([])
  })
})

describe("@ssekit/client's option checks in an app's bundle", () => {
  // A bad option: a TypeError naming it where the checks are in; taken as given where they are not.
  const attempt = `(function () {
    try { SSEKit.connect('/sse', { retry: { initalDelay: 5 } }).close(); return 'accepted' } catch (error) { return error.name + ': ' + error.message }
  })()`
  it.each([
    ['development app bundle', 'index', "TypeError: ssekit connect(): unknown option `retry.initalDelay`: did you mean `retry.initialDelay`?"],
    ['development app bundle', 'polyfilled', "TypeError: ssekit connect(): unknown option `retry.initalDelay`: did you mean `retry.initialDelay`?"],
    ['ESM build', 'index', "TypeError: ssekit connect(): unknown option `retry.initalDelay`: did you mean `retry.initialDelay`?"],
    ['production app bundle', 'index', 'accepted'],
    ['production app bundle', 'polyfilled', 'accepted'],
    ['ssekit.min.js', 'index', 'accepted'],
  ] as const)('%s (%s): %s', async (build, entry, outcome) => {
    await open(build, [{ body: [], hold: true }], entry)
    expect(await ctx.page.evaluate(attempt)).toBe(outcome)
    // Only the checks are left out: an option only the polyfill serves still says which import brings it.
    if (entry === 'index' && build !== 'ssekit.min.js') {
      expect(await ctx.page.evaluate(`(function () { try { SSEKit.connect('/sse', { method: 'POST' }) } catch (error) { return error.message } })()`)).toMatch(/option `method` needs the polyfill/)
    }
    expect(unexpectedErrors()).toEqual([])
  })
  it("in Vite's dev server (no bundle: the browser build as Vite serves it) the checks are in, and nothing lacks `process`", async () => {
    const app = makeApp()
    writeFileSync(`${app}/index.html`, `<!doctype html><script type="module">
      import { connect } from '@ssekit/client'
      try { connect('/sse', { retry: { maxRetries: 3 } }); window.result = 'accepted' } catch (error) { window.result = error.name + ': ' + error.message }
    </script>`)
    const vite = await createViteServer({ root: app, configFile: false, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } })
    try {
      await vite.listen()
      ctx.browser.errors.length = 0
      ctx.page = await ctx.browser.newPage()
      await ctx.page.goto(vite.resolvedUrls!.local[0]!)
      const result = await ctx.page.waitForFunction('window.result', undefined, { timeout: 20_000 })
      expect(await result.jsonValue()).toBe('TypeError: ssekit connect(): unknown option `retry.maxRetries`: did you mean `retry.maxAttempts`?')
      // Vite serves no favicon: that 404 aside, the page logged no error.
      expect(ctx.browser.errors.filter((line) => !/Failed to load resource: .*404/.test(line))).toEqual([])
    } finally {
      await ctx.page.close()
      await vite.close()
      rmSync(app, { recursive: true, force: true })
    }
  })

  it('a production bundle carries none of the checks\' text', () => {
    expect(appBundles['/app-production-index.js']).not.toMatch(/did you mean|a finite number of ms/)
    expect(appBundles['/app-development-index.js']).toMatch(/a finite number of ms/)
  })
})

describe('@ssekit/client and the network state in Chromium', () => {
  it('pauses while offline and reconnects at once when back online, from the last id', async () => {
    await open('ssekit.min.js', (request) => ({ body: [sse({ data: String(request.index), id: String(request.index + 10) })], hold: true }))
    await ctx.page.evaluate(`
      window.log = [];
      window.sse = SSEKit.connect('/sse', { decode: 'json', retry: { initialDelay: 600000, maxDelay: 600000 } });
      sse.on('message', function (n) { log.push('message ' + n + ' ' + sse.status) });
      window.addEventListener('offline', function () { log.push('offline ' + sse.status) });
    `)
    await logOf(1)
    await ctx.page.context().setOffline(true)
    expect(await logOf(2)).toEqual(['message 0 open', 'offline paused'])
    await ctx.server.waitForClosed('/sse')
    await ctx.page.context().setOffline(false)
    expect(await logOf(3)).toEqual(['message 0 open', 'offline paused', 'message 1 open'])
    expect(ctx.server.requests('/sse')[1]!.url.searchParams.get('lastEventId')).toBe('10')
    expect(unexpectedErrors()).toEqual([])
  })
})

describe("@ssekit/client over Chromium's EventSource and a server that reads Last-Event-ID (issue 13 point 9)", () => {
  it('an ordinary network drop resumes where the stream left off: no event lost, none repeated', async () => {
    // A spec-following server: it resumes after the id in the Last-Event-ID header (it knows no query parameter).
    const all = ['1', '2', '3', '4']
    await open('ESM build', (request) => {
      const after = request.headers['last-event-id']
      const from = after === undefined ? 0 : all.indexOf(String(after)) + 1
      // The first response breaks off after two events; the next one sends the rest and holds.
      const events = (request.index === 0 ? all.slice(0, 2) : all.slice(from)).map((id) => sse({ id, data: 'e' + id }))
      return request.index === 0 ? { body: ['retry: 50\n\n', ...events, { wait: 300 }, { destroy: true }] } : { body: events, hold: true }
    })
    await ctx.page.evaluate(`
      window.log = [];
      window.sse = SSEKit.connect('/sse', { retry: { initialDelay: 50, jitter: 0 } });
      sse.on('message', function (data) { log.push(data) });
    `)
    expect(await logOf(4)).toEqual(['e1', 'e2', 'e3', 'e4'])
    expect(ctx.server.requests('/sse').map((r) => r.headers['last-event-id'] ?? null)).toEqual([null, '2'])
    expect(await ctx.page.evaluate('sse.backend')).toBe('native')
    await ctx.page.evaluate('sse.close()')
    await ctx.server.waitForClosed('/sse')
  })
})
