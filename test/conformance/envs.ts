import type { ClientArgs, ClientHandle, ClientOutcome, EventSourceConstructor } from './client-kit.ts'
import { executeClientSource, programSource, type ConformanceEnv } from './runner.ts'
import type { EnvKind } from './scenario.ts'

interface JsdomInstance {
  reconfigure(settings: { url: string }): void
  window: { _origin: string }
}

/** vitest's jsdom environment exposes its `JSDOM` as a global. */
function jsdomInstance(): JsdomInstance | undefined {
  return (globalThis as { jsdom?: JsdomInstance }).jsdom
}

type ExecuteClient = (
  ctor: EventSourceConstructor,
  program: string,
  args: ClientArgs,
  finish: (outcome: ClientOutcome) => void,
  polyfill?: Record<string, unknown>,
) => ClientHandle

/**
 * The runner and the programs run from their source text, exactly as a page gets them: a program
 * that leans on anything outside itself fails here, in Node, before it fails in a browser.
 */
const execute = (0, eval)(`(${executeClientSource})`) as ExecuteClient

/** An environment that runs client programs in this realm (Node, or vitest's jsdom window). */
export function localEnv(
  kind: EnvKind,
  name: string,
  EventSource: EventSourceConstructor,
  options: Record<string, unknown> | null,
  polyfill?: Record<string, unknown>,
): ConformanceEnv {
  const dom = jsdomInstance()
  return {
    kind,
    name,
    features: { document: typeof document !== 'undefined' },
    begin: dom
      ? ({ a }) => {
          // The document lives on the main server, as a page would: relative URLs resolve there and
          // the XHR transport's requests are same-origin. `reconfigure` moves the document's origin;
          // jsdom's XMLHttpRequest reads the window's, which it fixed at creation.
          dom.reconfigure({ url: `${a.origin}/page/index.html` })
          dom.window._origin = a.origin
        }
      : undefined,
    run(program, args) {
      let handle: ClientHandle | undefined
      const outcome = new Promise<ClientOutcome>((resolve) => {
        handle = execute(EventSource, programSource(program), { ...args, options }, resolve, polyfill)
      })
      // A JSON round trip, as a page's results get: no live objects or `undefined` fields in logs.
      return outcome.then((result) => ({ outcome: JSON.parse(JSON.stringify(result)) as ClientOutcome, teardown: () => handle!.closeAll() }))
    },
  }
}

/**
 * The platform's own `EventSource` (Node 24 with `--experimental-eventsource`). Test files run
 * isolated and this suite never installs the polyfill globally, so a global one is native.
 */
function nativeEventSource(): EventSourceConstructor | undefined {
  const candidate = (globalThis as { EventSource?: EventSourceConstructor }).EventSource
  return typeof candidate === 'function' && typeof document === 'undefined' ? candidate : undefined
}

/**
 * The environments of this vitest project and runtime:
 * - node project: the polyfill forced onto the fetch transport, and as Node loads it
 *   (`index.node.ts`, no options: the node transport by default); under `SSEKIT_NODE24=1` with a native
 *   `EventSource`, Node's own as well;
 * - jsdom project: the polyfill with the fetch transport and with the XHR transport (jsdom's
 *   `XMLHttpRequest`, which streams `responseText` on `progress`).
 *
 * `SSEKIT_CONFORMANCE=kind,kind` narrows the list (e.g. `node24-native` before the polyfill exists).
 */
export async function localEnvs(): Promise<ConformanceEnv[]> {
  const envs: ConformanceEnv[] = []
  const wanted = process.env.SSEKIT_CONFORMANCE ? process.env.SSEKIT_CONFORMANCE.split(',') : undefined
  const want = (kind: EnvKind) => !wanted || wanted.includes(kind)
  const inJsdom = jsdomInstance() !== undefined
  const native = process.env.SSEKIT_NODE24 === '1' ? nativeEventSource() : undefined
  if (process.env.SSEKIT_NODE24 === '1' && !inJsdom && !native) {
    throw new Error('SSEKIT_NODE24=1 but there is no native EventSource: run Node 24 with --experimental-eventsource')
  }
  if (native && want('node24-native')) envs.push(localEnv('node24-native', `native EventSource (Node ${process.versions.node})`, native, null))
  if (want('polyfill-fetch') || (inJsdom && want('polyfill-xhr'))) {
    const polyfill = (await import('@ssekit/polyfill')) as unknown as { EventSource: EventSourceConstructor }
    const where = inJsdom ? 'jsdom' : `Node ${process.versions.node}`
    // Forced: under Node the default is the node transport (once `index.node.ts` has loaded, below).
    if (want('polyfill-fetch')) {
      envs.push(localEnv('polyfill-fetch', `polyfill (fetch transport, ${where})`, polyfill.EventSource, { transport: 'fetchTransport' }, polyfill))
    }
    if (inJsdom && want('polyfill-xhr')) {
      // The XHR transport comes with the legacy entry (its stand-ins register on the module both entries share here).
      const legacy = (await import('@ssekit/polyfill/legacy')) as unknown as { EventSource: EventSourceConstructor }
      envs.push(localEnv('polyfill-xhr', 'polyfill (xhr transport, jsdom)', legacy.EventSource, { transport: 'xhrTransport' }, legacy))
    }
  }
  if (!inJsdom && want('polyfill-node')) {
    // What Node resolves `@ssekit/polyfill` to (the `node` export condition), with no options: its default transport.
    const node = (await import('../../packages/polyfill/src/index.node.ts')) as unknown as { EventSource: EventSourceConstructor }
    envs.push(localEnv('polyfill-node', `polyfill (default in Node: node transport, Node ${process.versions.node})`, node.EventSource, null, node))
  }
  return envs
}
