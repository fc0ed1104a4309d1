// Bundle sizes: every published entry in packages/*/dist (raw, minified by esbuild, then gzip -9 and
// brotli -11 of the minified text), the budgeted figures (what an app pays for each way in, built as
// its bundler builds it: consumer.mjs), and the field measured the same way. 1 KB = 1000 bytes throughout.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build, transform } from 'esbuild'
import { consumerSizes } from './consumer.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))
const PACKAGES = ['polyfill', 'client']

function measure(code, minified) {
  const buffer = Buffer.from(minified, 'utf8')
  return {
    raw: Buffer.byteLength(code, 'utf8'),
    min: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  }
}

/**
 * Bundles and minifies `entry` (a file, or `{ contents }`: a module's text, resolved from the root)
 * for browsers, leaving `external` out. Returns the minified text and how many of its bytes each
 * input module contributes (before compression), largest first.
 */
async function bundle(entry, external = []) {
  const result = await build({
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: root } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2018',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const output = Object.values(result.metafile.outputs)[0]
  const composition = Object.entries(output.inputs)
    .map(([input, { bytesInOutput }]) => ({ input: input.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, ''), bytes: bytesInOutput }))
    .filter((part) => part.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
  return { text: result.outputFiles[0].text, composition }
}

/** Every `.mjs`, `.cjs` and `.min.js` in each package's dist, with its four sizes. */
async function entries() {
  const rows = []
  for (const pkg of PACKAGES) {
    const dir = `${root}packages/${pkg}/dist`
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(mjs|cjs|min\.js)$/.test(name)) continue
      const code = readFileSync(`${dir}/${name}`, 'utf8')
      // Already-minified bundles are measured as shipped.
      const minified = name.endsWith('.min.js') ? code : (await transform(code, { minify: true, format: name.endsWith('.cjs') ? 'cjs' : 'esm', target: 'es2018' })).code
      rows.push({ file: `packages/${pkg}/dist/${name}`, ...measure(code, minified) })
    }
  }
  return rows
}

/**
 * The field, bundled and measured as ours are (its ES5 script-tag files as shipped), beside the
 * figure issue 5 quotes for it: whether our method and the issue's agree.
 */
const REFERENCES = [
  { name: 'eventsource 5.1.5 (with its eventsource-parser 3)', source: "export { EventSource } from 'eventsource5'", issue: 4200 },
  { name: 'eventsource 4.1.1', source: "export { EventSource } from 'eventsource'", issue: 3400 },
  { name: 'eventsource-parser 4.1.3 alone', source: "export { createParser } from 'eventsource-parser'", issue: 1800 },
  { name: 'event-source-polyfill 1.0.31 (ES5, XHR and fetch)', source: "export { EventSourcePolyfill } from 'event-source-polyfill'", issue: 4900 },
  { name: 'event-source-polyfill 1.0.31: its eventsource.min.js as shipped', file: 'node_modules/event-source-polyfill/src/eventsource.min.js' },
  { name: '@microsoft/fetch-event-source 2.0.1', source: "export { fetchEventSource } from '@microsoft/fetch-event-source'" },
]

async function references() {
  const out = []
  for (const ref of REFERENCES) {
    try {
      const text = ref.file
        ? readFileSync(`${root}${ref.file}`, 'utf8')
        : (await bundle({ contents: ref.source })).text
      out.push({ name: ref.name, issue: ref.issue, ...measure(text, text) })
    } catch (error) {
      out.push({ name: ref.name, issue: ref.issue, missing: String(error.message || error).split('\n')[0] })
    }
  }
  return out
}

/** All size figures: `{ entries, budgets, references, distMissing }`. */
export async function measureSizes() {
  const missing = PACKAGES.filter((pkg) => !existsSync(`${root}packages/${pkg}/dist`))
  return { entries: await entries(), budgets: await consumerSizes(), references: await references(), distMissing: missing }
}
