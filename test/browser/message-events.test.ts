import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { expect, it } from 'vitest'
import { startServer, sse } from '../server/scripted-server.ts'
import { chromiumSuite, serveBundles, servePage } from './chromium.ts'

// Each build in a page: its events are no native MessageEvents (src/message-event.ts, a re-parented
// Event that skips the init dictionary's conversion; in the script-tag bundles message-event.es5.ts,
// the same made by Reflect.construct), and every listener must still see one. Each check is made on
// the polyfill's event and on a native MessageEvent dispatched the same way in the same page, and
// the two must agree.

const ctx = chromiumSuite()

/** What a listener sees of an event; the first listener stops immediate propagation. `load` gives the page its `EventSource`. */
const page = (load: string) => `<!doctype html>${load}<script type="module">
  const EventSource = window.PolyfillEventSource
  function observe(event, target) {
    const strict = ['data', 'origin', 'lastEventId', 'source', 'ports'].map((name) => {
      try { event[name] = 'x'; return name + ': no error' } catch (error) { return name + ': ' + error.constructor.name }
    })
    return {
      isMessageEvent: event instanceof MessageEvent, isEvent: event instanceof Event, constructor: event.constructor === MessageEvent,
      tag: Object.prototype.toString.call(event), type: event.type, target: event.target === target, currentTarget: event.currentTarget === target,
      eventPhase: event.eventPhase, bubbles: event.bubbles, cancelable: event.cancelable, isTrusted: event.isTrusted,
      data: event.data, origin: event.origin === location.origin, lastEventId: event.lastEventId, source: event.source, ports: event.ports.length,
      portsFrozen: Object.isFrozen(event.ports), strict, keys: Object.keys(event),
    }
  }
  function listen(target, type, fire) {
    return new Promise((resolve) => {
      let second = false
      target.addEventListener(type, (event) => {
        const seen = observe(event, target)
        event.stopImmediatePropagation()
        const nativePrototype = Object.getPrototypeOf(event) === MessageEvent.prototype
        setTimeout(() => resolve({ ...seen, secondRan: second, phaseAfter: event.eventPhase, nativePrototype }))
      })
      target.addEventListener(type, () => (second = true))
      fire()
    })
  }
  const source = new EventSource('/s')
  const polyfill = await listen(source, 'tick', () => {})
  source.close()
  const target = new EventTarget()
  const native = await listen(target, 'tick', () => target.dispatchEvent(new MessageEvent('tick', { data: 'd', origin: location.origin, lastEventId: '7' })))
  window.result = { polyfill, native }
</script>`

/** An ESM build of the polyfill, bundled as an app would, served at /polyfill.mjs; loaded by a module script. */
async function esm(entry: string): Promise<string> {
  const bundled = await build({
    entryPoints: [fileURLToPath(new URL(`../../packages/polyfill/dist/${entry}`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  ctx.server.file('/polyfill.mjs', { content: bundled.outputFiles[0]!.text }, 'text/javascript')
  return `<script type="module">import { EventSource } from '/polyfill.mjs'; window.PolyfillEventSource = EventSource</script>`
}

it.each([
  ['the ESM build', () => esm('index.mjs')],
  ['the legacy ESM build', () => esm('legacy.mjs')],
  ['ssekit-polyfill.min.js (ES5)', async () => '<script src="/ssekit-polyfill.min.js"></script><script>window.PolyfillEventSource = SSEKitPolyfill.EventSource</script>'],
  ['ssekit.min.js (ES5)', async () => '<script src="/ssekit.min.js"></script><script>window.PolyfillEventSource = SSEKit.EventSource</script>'],
])('%s dispatches events that every listener sees as MessageEvents, as a native one', async (_, load) => {
  ctx.server = await startServer()
  serveBundles(ctx.server)
  const loader = await load()
  ctx.server.route('/s', { body: [sse({ event: 'tick', data: 'd', id: '7' })], hold: true })
  ctx.page = await ctx.browser.newPage()
  await ctx.page.goto(servePage(ctx.server, '/page.html', page(loader)))
  const handle = await ctx.page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 10_000 })
  const { polyfill, native } = (await handle.jsonValue()) as { polyfill: Record<string, unknown>; native: Record<string, unknown> }
  expect(polyfill).toMatchObject({ isMessageEvent: true, constructor: true, tag: '[object MessageEvent]', data: 'd', lastEventId: '7', secondRan: false, keys: ['isTrusted'] })
  // The fast event, not the platform's: what the build is for.
  expect([polyfill.nativePrototype, native.nativePrototype]).toEqual([false, true])
  // A native event is trusted only when the browser dispatched it; neither of these was.
  expect({ ...polyfill, nativePrototype: true }).toEqual(native)
})
