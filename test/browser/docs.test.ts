import { readFileSync } from 'node:fs'
import { afterAll, describe, expect } from 'vitest'
import { startServer, type Route } from '../server/scripted-server.ts'
import { until } from '../../packages/client/test/helpers.ts'
import { buildExample, example, removeBundles, runExamples } from '../docs/examples.ts'
import { chromiumSuite, serveBundles, servePage } from './chromium.ts'

// The browser examples of README.md and docs/ (see test/docs/examples.ts), run as written in
// Chromium: an HTML page is served with its CDN address pointing at the built bundle; a module is
// bundled for browsers as an app's bundler would (esbuild, `@ssekit/*` through their exports) and
// loaded by a page. Each prints with console.log, which the test reads, from `/notify` on the same origin.

const ctx = chromiumSuite()
afterAll(removeBundles)
const CDN = 'https://unpkg.com/@ssekit/client/dist/ssekit.min.js'
const POLYFILL_CDN = 'https://unpkg.com/@ssekit/polyfill/dist/ssekit-polyfill.min.js'

/** `/notify` as the demo serves it: ids 1–4, the third a `myEvent`, the response held open. */
const notify: Route = {
  body: ['retry: 1000\n\n', 'id: 1\ndata: 1700000000001\n\n', 'id: 2\ndata: 1700000000002\n\n', 'event: myEvent\nid: 3\ndata: {"text":"tick 3"}\n\n', 'id: 4\ndata: 1700000000004\n\n'],
  hold: true,
}

/**
 * Opens `html` (with the CDN address of ssekit.min.js served locally, and `files` served too) and
 * collects the page's console.log lines.
 */
async function open(html: string, files: Record<string, string> = {}): Promise<string[]> {
  ctx.server = await startServer()
  serveBundles(ctx.server)
  ctx.server.route('/notify', notify)
  for (const [path, file] of Object.entries(files)) ctx.server.file(path, { file }, 'text/javascript; charset=utf-8')
  ctx.page = await ctx.browser.newPage()
  const logged: string[] = []
  ctx.page.on('console', (message) => {
    if (message.type() === 'log') logged.push(message.text())
  })
  await ctx.page.goto(servePage(ctx.server, '/page.html', html.split(CDN).join('/ssekit.min.js').split(POLYFILL_CDN).join('/ssekit-polyfill.min.js')))
  return logged
}

const runners: Record<string, () => Promise<void>> = {
  async 'readme-script-tag'() {
    const html = example('readme-script-tag').code
    expect(html, 'the example loads ssekit.min.js from its CDN address').toContain(CDN)
    await open(html)
    await ctx.page.waitForFunction(() => document.querySelectorAll('#log li').length >= 4, undefined, { timeout: 10_000 })
    expect(await ctx.page.locator('#log li').allTextContents()).toEqual(['message 1: 1700000000001', 'message 2: 1700000000002', 'myEvent: {"text":"tick 3"}', 'message 4: 1700000000004'])
    expect(ctx.browser.errors).toEqual([])
  },

  async 'readme-spa'() {
    const bundle = await buildExample('readme-spa', { platform: 'browser' })
    // What the browser gets: the client's browser entry, no polyfill.
    expect(readFileSync(bundle, 'utf8')).not.toMatch(/createParser|XMLHttpRequest/)
    const logged = await open('<!doctype html><meta charset="utf-8"><script type="module" src="/app.js"></script>', { '/app.js': bundle })
    await until(() => logged.length >= 4, 'four console lines', 10_000)
    expect(logged.slice(0, 4)).toEqual([
      `server time ${new Date(1700000000001).toISOString()}`,
      `server time ${new Date(1700000000002).toISOString()}`,
      'myEvent tick 3',
      `server time ${new Date(1700000000004).toISOString()}`,
    ])
    // It ran on Chromium's own EventSource.
    expect(await ctx.page.evaluate(() => typeof EventSource)).toBe('function')
    expect(ctx.server.requests('/notify').length).toBeGreaterThanOrEqual(1)
  },

  async 'polyfill-script-tag'() {
    const html = example('polyfill-script-tag').code
    expect(html, 'the example loads ssekit-polyfill.min.js from its CDN address').toContain(POLYFILL_CDN)
    const logged = await open(html)
    await until(() => logged.length >= 3, 'three console lines', 10_000)
    expect(logged.slice(0, 3)).toEqual(['1: 1700000000001', '2: 1700000000002', '4: 1700000000004'])
    expect(await ctx.page.evaluate(() => (window as unknown as { SSEKitPolyfill: { EventSource: unknown } }).SSEKitPolyfill.EventSource !== window.EventSource)).toBe(true)
  },

  async 'migrate-event-source-polyfill-script'() {
    const html = example('migrate-event-source-polyfill-script').code
    expect(html, 'the example loads ssekit.min.js from its CDN address').toContain(CDN)
    const logged = await open(html)
    await until(() => logged.includes('myEvent tick 3'), 'the myEvent line', 10_000)
    expect(ctx.server.requests('/notify')[0]!.headers['authorization']).toBe('Bearer my-token')
    await ctx.server.waitForClosed('/notify')
  },
}

describe('the docs: browser examples, run as written in Chromium', () => runExamples('chromium', runners, 30_000))
