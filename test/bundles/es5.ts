import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createContext, runInContext, type Context } from 'node:vm'
import { parse } from 'acorn'

/** The script-tag bundles, as `pnpm build` writes them: the production ones, and the client's for development. */
export const bundles = {
  polyfill: fileURLToPath(new URL('../../packages/polyfill/dist/ssekit-polyfill.min.js', import.meta.url)),
  client: fileURLToPath(new URL('../../packages/client/dist/ssekit.min.js', import.meta.url)),
  clientDev: fileURLToPath(new URL('../../packages/client/dist/ssekit.dev.js', import.meta.url)),
}

/** Reads a built bundle, failing with the command to run when it is missing. */
export function readBundle(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx -y pnpm@10.34.9 build\` first`)
  return readFileSync(file, 'utf8')
}

/** Throws (with line and column) unless `code` is an ES5 script: no arrow, class, let/const, template, … */
export function assertES5(code: string): void {
  parse(code, { ecmaVersion: 5, sourceType: 'script' })
}

/**
 * Globals and library methods an IE10-class engine lacks. The sandbox deletes them, so a bundle that
 * needs one at run time throws instead of quietly working on a modern engine.
 */
export const modernGlobals = [
  'globalThis', 'Promise', 'Symbol', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Reflect', 'Proxy', 'fetch', 'ReadableStream', 'TextDecoder', 'TextEncoder', 'EventSource', 'URL',
  'URLSearchParams', 'AbortController', 'queueMicrotask', 'structuredClone',
]
const modernMethods = [
  'Object.assign', 'Object.entries', 'Object.values', 'Object.fromEntries', 'Object.is',
  'Array.from', 'Array.of', 'Array.prototype.find', 'Array.prototype.findIndex', 'Array.prototype.includes',
  'Array.prototype.fill', 'Array.prototype.flat', 'Array.prototype.flatMap', 'Array.prototype.at',
  'String.prototype.includes', 'String.prototype.startsWith', 'String.prototype.endsWith',
  'String.prototype.repeat', 'String.prototype.padStart', 'String.prototype.padEnd',
  'String.prototype.trimStart', 'String.prototype.trimEnd', 'String.prototype.codePointAt',
  'String.fromCodePoint', 'Number.isNaN', 'Number.isFinite', 'Number.isInteger', 'Math.trunc', 'Math.sign',
]

/** What a sandbox is given from the host: timers and whatever the test stubs (XMLHttpRequest, document). */
export type SandboxGlobals = Record<string, unknown>

/**
 * A `node:vm` context with only ES5's globals: the host's timers plus `extra`, and `window`/`self`
 * naming the global object as in a page. Returns the context and a `run(code)` for scripts in it.
 */
export function es5Sandbox(extra: SandboxGlobals = {}): { context: Context; run(code: string, filename?: string): unknown } {
  const context = createContext({})
  const strip = [
    ...modernGlobals.map((name) => `delete this[${JSON.stringify(name)}];`),
    ...modernMethods.map((path) => {
      const at = path.lastIndexOf('.')
      return `delete ${path.slice(0, at)}[${JSON.stringify(path.slice(at + 1))}];`
    }),
    'this.window = this; this.self = this;',
  ].join('\n')
  runInContext(strip, context)
  const given: SandboxGlobals = { setTimeout, clearTimeout, setInterval, clearInterval, ...extra }
  for (const name of Object.keys(given)) context[name] = given[name]
  return { context, run: (code, filename = 'sandbox.js') => runInContext(code, context, { filename }) }
}
