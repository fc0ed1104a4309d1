import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClientOutcome } from '../conformance/client-kit.ts'
import { executeClientSource, programSource, runScenario, skipReason, type ConformanceEnv } from '../conformance/runner.ts'
import type { EnvKind, Scenario } from '../conformance/scenario.ts'
import { extensionScenarios } from '../conformance/scenarios/extensions/index.ts'
import { scenarioGroups } from '../conformance/scenarios/index.ts'
import { launchChromium, serveBundles, servePage, type ChromiumSession } from './chromium.ts'

// The conformance suite (test/conformance) in Chromium: the same scenarios, their client programs
// shipped into a page as source text, against Chromium's own EventSource (which proves the
// scenarios) and against the script-tag bundle on its fetch transport, its XHR transport, and in an
// IE-class document. One browser for the file, a fresh tab per scenario.

/** How Chromium labels a request (Playwright's `resourceType()`): which API the source used. */
type RequestType = 'eventsource' | 'fetch' | 'xhr'

/** One way of getting an `EventSource` into a page. */
interface BrowserEnvSpec {
  kind: EnvKind
  name: string
  /** Body of the document the program runs in (served from server `a`, after the bundles). */
  html: string
  /**
   * The program runs in an IE-class document inside the top page's first iframe, driven from the
   * intact top page: Playwright's `evaluate` needs the `Promise` the IE-class document deletes.
   */
  inFrame: boolean
  /** Options merged under every source's init (the extension scenarios run only where this is a polyfill). */
  options: Record<string, unknown> | null
  polyfill: boolean
  /** An expression, true in the document once the `EventSource` under test is in place. */
  installed: string
  /** The only request type the page's sources may make: proves which transport ran. */
  requests: RequestType
}

/**
 * Deletes the page's `EventSource` before the bundle loads, which then installs itself. The client's
 * bundle comes after it for the composable pieces (withRequest, …): they are transports, and work
 * with the polyfill bundle's class.
 */
const withPolyfill = `<script>delete window.EventSource; var before = typeof window.EventSource;</script>
  <script src="/ssekit-polyfill.min.js"></script>
  <script src="/ssekit.min.js"></script>`

/**
 * What an IE10/11-class document lacks, deleted before the bundle loads (as in script-tag.test.ts);
 * `left` lists any the page could not delete.
 */
const ieClass = `<script>
    var stripped = ['fetch', 'ReadableStream', 'EventSource', 'Promise', 'TextDecoder', 'TextEncoder', 'Symbol',
      'Map', 'Set', 'WeakMap', 'AbortController', 'URL', 'globalThis'];
    for (var i = 0; i < stripped.length; i++) delete window[stripped[i]];
    var left = [];
    for (var j = 0; j < stripped.length; j++) if (typeof window[stripped[j]] !== 'undefined') left.push(stripped[j]);
  </script>
  <script src="/ssekit-polyfill.min.js"></script>
  <script src="/ssekit.min.js"></script>`

const polyfillInstalled = "before === 'undefined' && window.EventSource === SSEKitPolyfill.EventSource"

const specs: BrowserEnvSpec[] = [
  {
    kind: 'chromium-native',
    name: "Chromium's EventSource",
    html: '',
    inFrame: false,
    options: null,
    polyfill: false,
    installed: "typeof SSEKitPolyfill === 'undefined' && /\\[native code\\]/.test(Function.prototype.toString.call(window.EventSource))",
    requests: 'eventsource',
  },
  {
    // No options: the polyfill picks fetch by itself, as it does for a page that just loads it.
    kind: 'chromium-polyfill',
    name: 'polyfill bundle (fetch transport, Chromium)',
    html: withPolyfill,
    inFrame: false,
    options: null,
    polyfill: true,
    installed: polyfillInstalled,
    requests: 'fetch',
  },
  {
    kind: 'polyfill-xhr',
    name: 'polyfill bundle (xhr transport, Chromium, { transport: xhrTransport })',
    html: withPolyfill,
    inFrame: false,
    options: { transport: 'xhrTransport' },
    polyfill: true,
    installed: polyfillInstalled,
    requests: 'xhr',
  },
  {
    // No options: without fetch the polyfill must fall back to XHR by itself.
    kind: 'polyfill-xhr',
    name: 'polyfill bundle (IE-class iframe, Chromium)',
    html: ieClass,
    inFrame: true,
    options: null,
    polyfill: true,
    installed: 'left.length === 0 && window.EventSource === SSEKitPolyfill.EventSource',
    requests: 'xhr',
  },
]

let browser: ChromiumSession

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
})

type PageWindow = Window & typeof globalThis & { __conformance?: { closeAll(): void } }

/** One scenario's run in a fresh tab: the environment, plus what the tab did besides. */
interface PageRun {
  env: ConformanceEnv
  /** Uncaught exceptions in the tab (its iframe included). */
  pageErrors: string[]
  /** `type path` of every request the tab's sources made. */
  requests: string[]
  close(): Promise<void>
}

function pageRun(spec: BrowserEnvSpec): PageRun {
  let page: Page | undefined
  const pageErrors: string[] = []
  const requests: string[] = []
  const env: ConformanceEnv = {
    kind: spec.kind,
    name: spec.name,
    features: { document: true },
    async begin({ a }) {
      serveBundles(a)
      const body = `<!doctype html><meta charset="utf-8">${spec.html}`
      let html = body
      if (spec.inFrame) {
        servePage(a, '/page/ie.html', body)
        // The iframe's load delays the top page's, so goto() returns with the bundle run.
        html = '<!doctype html><iframe src="/page/ie.html"></iframe>'
      }
      page = await browser.context.newPage()
      page.on('pageerror', (error) => pageErrors.push(error.message))
      page.on('request', (request) => {
        const type = request.resourceType()
        if (type === 'eventsource' || type === 'fetch' || type === 'xhr') requests.push(`${type} ${new URL(request.url()).pathname}`)
      })
      await page.goto(servePage(a, '/page/index.html', html))
      const installed = await page.evaluate(
        ([expression, frame]) => (frame ? (window.frames[0] as PageWindow) : (window as PageWindow)).eval(expression) as unknown,
        [spec.installed, spec.inFrame] as const,
      )
      if (installed !== true) throw new Error(`${spec.name}: the page did not set up its EventSource (${spec.installed})`)
    },
    async run(program, args) {
      const target = page!
      const outcome = await target.evaluate(
        ([kit, source, runArgs, frame]) =>
          new Promise<ClientOutcome>((resolve) => {
            // An indirect eval in the document's realm: the runner and program use its globals.
            const scope = (frame ? window.frames[0] : window) as PageWindow
            const execute = scope.eval(`(${kit})`)
            // The polyfill bundle's exports, and the pieces of the client's bundle where the page loaded it.
            const globals = scope as { SSEKitPolyfill?: object; SSEKit?: object }
            const exports = globals.SSEKitPolyfill && { ...globals.SSEKit, ...globals.SSEKitPolyfill }
            ;(window as PageWindow).__conformance = execute(scope.EventSource, source, runArgs, resolve, exports)
          }),
        [executeClientSource, programSource(program), { ...args, options: spec.options }, spec.inFrame] as const,
      )
      return {
        // A JSON round trip, as the Node environments do: no `undefined` fields in logs.
        outcome: JSON.parse(JSON.stringify(outcome)) as ClientOutcome,
        teardown: () => target.evaluate(() => (window as PageWindow).__conformance!.closeAll()),
      }
    },
  }
  return {
    env,
    pageErrors,
    requests,
    close: async () => {
      await page?.close()
    },
  }
}

/** A list for a failure message: whole when short, else its head and how much was left out. */
function shortList(list: string[]): string {
  if (list.length === 0) return '(none)'
  const head = list.slice(0, 10).join('\n')
  return list.length > 10 ? `${head}\n… ${list.length - 10} more` : head
}

/**
 * Runs `scenario` in a fresh tab; then the tab must have thrown nothing and used only the env's
 * request type. A failure also shows the tab's requests and uncaught exceptions.
 */
async function runInChromium(spec: BrowserEnvSpec, scenario: Scenario): Promise<void> {
  const run = pageRun(spec)
  try {
    await runScenario(scenario, run.env)
  } catch (error) {
    if (error instanceof Error) {
      error.message += `\n--- requests the tab made ---\n${shortList(run.requests)}\n--- uncaught in the tab ---\n${shortList(run.pageErrors)}`
    }
    throw error
  } finally {
    await run.close()
  }
  expect(run.pageErrors, 'uncaught exceptions in the page').toEqual([])
  for (const request of run.requests) expect(request.split(' ')[0], `requests of ${spec.name}`).toBe(spec.requests)
}

function scenarioTests(spec: BrowserEnvSpec, list: Scenario[]): void {
  for (const scenario of list) {
    const reason = skipReason(scenario, pageRun(spec).env)
    if (reason) it.skip(`${scenario.name} [skipped on ${spec.kind}: ${reason}]`, () => {}) // not applicable to this env: the reason is in the title
    else it(scenario.name, () => runInChromium(spec, scenario), (scenario.timeout ?? 5000) + 10_000)
  }
}

// The environments run side by side, each its scenarios one after another: four tabs at a time,
// which two cores handle without stretching the scenarios' timing bounds.
for (const spec of specs) {
  describe.concurrent(spec.name, () => {
    for (const [group, list] of Object.entries(scenarioGroups)) describe.sequential(group, () => scenarioTests(spec, list))
    if (spec.polyfill) describe.sequential('extensions', () => scenarioTests(spec, extensionScenarios))
  })
}
