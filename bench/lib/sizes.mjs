// Bundle sizes: every published entry in packages/*/dist (raw, minified by esbuild, then gzip -9 and
// brotli -11 of the minified text), plus the figures the budgets are about, which need a bundler:
// the polyfill's ESM build with eventsource-parser bundled in, and the client's ESM build with the
// polyfill left out (what the client adds on top). 1 KB = 1000 bytes throughout.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build, transform } from 'esbuild'

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
 * The budgeted figures, each `{ name, file, gzip, target, budget, from }`: `target` is issue 5's
 * goal, `budget` the ceiling CI holds the build to (what it measures now plus a little) so that a
 * bundle can only shrink towards its target, never quietly grow. With no dist they are measured
 * from the TypeScript sources (marked `from: 'src'`), which is an estimate, not the published build.
 */
async function budgeted() {
  const dist = (pkg, file) => `${root}packages/${pkg}/dist/${file}`
  const src = (pkg) => `${root}packages/${pkg}/src/index.ts`
  const out = []
  const add = async (name, [target, budget], pkg, file, external) => {
    const fromDist = existsSync(dist(pkg, file))
    const entry = fromDist ? dist(pkg, file) : src(pkg)
    if (!existsSync(entry)) return out.push({ name, target, budget, missing: `${file} is absent and so is ${pkg}/src/index.ts` })
    try {
      const { text } = await bundle(entry, external)
      // The dist build is one file; the sources tell which module the bytes come from.
      const { composition } = existsSync(src(pkg)) ? await bundle(src(pkg), external) : { composition: undefined }
      out.push({ name, target, budget, file: entry.slice(root.length), from: fromDist ? 'dist' : 'src', ...measure(text, text), composition })
    } catch (error) {
      out.push({ name, target, budget, missing: `could not bundle ${entry.slice(root.length)}: ${String(error.message || error).split('\n')[0]}` })
    }
  }
  await add('polyfill ESM + eventsource-parser', [3500, 5990], 'polyfill', 'index.mjs', [])
  await add('client ESM on top of the polyfill', [2500, 5410], 'client', 'index.mjs', ['@ssekit/polyfill'])
  for (const [pkg, file, [target, budget]] of [
    ['polyfill', 'ssekit-polyfill.min.js', [5000, 8290]],
    ['client', 'ssekit.min.js', [7500, 12820]],
  ]) {
    const path = dist(pkg, file)
    if (!existsSync(path)) out.push({ name: file, target, budget, missing: `packages/${pkg}/dist/${file} is absent (run \`pnpm build\`)` })
    else {
      const code = readFileSync(path, 'utf8')
      out.push({ name: file, target, budget, file: path.slice(root.length), from: 'dist', ...measure(code, code) })
    }
  }
  return out
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
  return { entries: await entries(), budgets: await budgeted(), references: await references(), distMissing: missing }
}
