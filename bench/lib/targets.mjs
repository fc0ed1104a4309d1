// Which build of our packages the benchmark loads: the published ESM builds (`packages/*/dist/index.mjs`)
// when they exist, else the TypeScript sources bundled by esbuild into bench/.out (said in the results,
// so a figure is never mistaken for the other). The dist files are copied to bench/.out/snapshot first:
// on a shared machine someone may rebuild (and so empty) dist/ while the benchmark runs.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../../', import.meta.url))
const out = fileURLToPath(new URL('../.out/', import.meta.url))

function newestIn(dir) {
  let newest = 0
  const walk = (path) => {
    const stat = statSync(path)
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(`${path}/${name}`)
    else newest = Math.max(newest, stat.mtimeMs)
  }
  walk(dir)
  return newest
}

/** Bundles one package's `src/ENTRY.ts` (its dependencies left external, as in the ESM build). */
async function bundleSource(pkg, external, entry = 'index') {
  mkdirSync(out, { recursive: true })
  const outfile = `${out}${pkg}${entry === 'index' ? '' : `-${entry}`}.mjs`
  await build({
    entryPoints: [`${root}packages/${pkg}/src/${entry}.ts`],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'externals',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: external[args.path] || args.path, external: true }))
        },
      },
    ],
  })
  return outfile
}

/**
 * Copies a package's ESM build files into bench/.out/snapshot/PKG, byte for byte except that the
 * client's import of `@ssekit/polyfill` points at the polyfill's copy. Returns the copy of `entry`.
 */
function snapshot(pkg, entry = 'index') {
  const from = `${root}packages/${pkg}/dist/`
  const to = `${out}snapshot/${pkg}/`
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    if (!name.endsWith('.mjs')) continue
    const code = readFileSync(`${from}${name}`, 'utf8').replace(/(from\s*|import\s*\(\s*)(['"])@ssekit\/polyfill\2/g, '$1$2../polyfill/index.mjs$2')
    writeFileSync(`${to}${name}`, code)
  }
  return `${to}${entry}.mjs`
}

/**
 * Resolves the polyfill (its main entry, its `node` transport entry and `index.node`, what Node loads) and client modules. `client` is null, with `clientNote` saying why, until
 * `@ssekit/client` exports `connect`.
 */
export async function resolveTargets() {
  const dist = (pkg) => `${root}packages/${pkg}/dist/index.mjs`
  const notes = []
  let source = 'dist'
  let polyfill = dist('polyfill')
  let polyfillNode
  // What Node resolves `@ssekit/polyfill` to: the node transport and the Node entry's events.
  let polyfillEntry
  if (!existsSync(polyfill)) {
    source = 'src'
    notes.push('packages/polyfill/dist is absent: the polyfill was bundled from its TypeScript sources with esbuild')
    polyfill = await bundleSource('polyfill', {})
    polyfillNode = await bundleSource('polyfill', {}, 'node')
    polyfillEntry = await bundleSource('polyfill', {}, 'index.node')
  } else {
    if (newestIn(`${root}packages/polyfill/src`) > statSync(polyfill).mtimeMs) {
      notes.push('packages/polyfill/dist is older than its sources: run `pnpm build` (or `pnpm bench`, which does)')
    }
    polyfill = snapshot('polyfill')
    polyfillNode = polyfill.replace(/index\.mjs$/, 'node.mjs')
    polyfillEntry = polyfill.replace(/index\.mjs$/, 'index.node.mjs')
  }

  let client = dist('client')
  let clientNote = ''
  try {
    // The polyfilled entry (what the `node` condition resolves): the rows hand it the polyfill, or options only the polyfill serves.
    if (existsSync(client) && source === 'dist') client = snapshot('client', 'polyfilled')
    else {
      if (!existsSync(`${root}packages/client/src/index.ts`)) throw new Error('packages/client has no dist and no src/index.ts yet')
      client = await bundleSource('client', { '@ssekit/polyfill': polyfill }, 'polyfilled')
      notes.push('packages/client/dist is absent: the client was bundled from its TypeScript sources with esbuild')
    }
    const exports = await import(pathToFileURL(client).href)
    if (typeof exports.connect !== 'function') throw new Error('@ssekit/client does not export `connect` yet')
  } catch (error) {
    client = null
    clientNote = `client rows skipped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`
  }
  // `modules`: what a benchmark child gets as `job.modules` (worker.mjs, memory.mjs, reconnect.mjs).
  return { source, polyfill, polyfillNode, polyfillEntry, client, clientNote, notes, modules: { polyfill, polyfillNode, polyfillEntry, client } }
}
