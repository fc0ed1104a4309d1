import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import nodeResolve from '@rollup/plugin-node-resolve'
import swc from '@rollup/plugin-swc'
import { minify } from '@swc/core'
import { transform } from 'esbuild'
import MagicString from 'magic-string'
import type { OutputOptions, Plugin, RollupOptions } from 'rollup'
import { dts } from 'rollup-plugin-dts'
import esbuild from 'rollup-plugin-esbuild'
import { es5Helpers } from './build/es5-helpers.ts'

/** What one workspace package builds; everything else follows from it. */
interface PackageBuild {
  /** Folder under `packages/`. */
  dir: string
  /** Entry points in `src/` (without `.ts`); each becomes `dist/NAME.{mjs,cjs,d.mts,d.cts,d.ts}`. */
  entries: string[]
  /** Imports every build leaves out (Node's own modules, a sibling package); everything else is bundled. */
  external: RegExp[]
  /** A comment at the top of every ESM/CJS file: the notices of what the package bundles. */
  notice?: string
  /**
   * The script-tag bundle: ES5, minified, an IIFE that assigns its exports to `window[name]`; a
   * production build. `devFile`: the same for development (the client's option checks in), not minified.
   */
  scriptTag: { entry: string; file: string; name: string; devFile?: string }
  /**
   * Modules that go into the chunk of one secondary entry (which they must include) instead of the
   * first entry's: Node-only code kept out of `index`, in one chunk however many entries import it.
   */
  entryOnly?: { chunk: string; modules: RegExp }
  /**
   * Entries built on their own, each one file with every module it needs: the legacy entry must run
   * its stand-ins before the `EventSource` class is defined, and in a chunk shared with `index` the
   * class would be defined first (an imported chunk is evaluated before its importer).
   */
  standalone?: string[]
  /**
   * Entries also built for the `browser` export condition, into `dist/browser/` (ESM): there the
   * client's option checks hang on `process.env.NODE_ENV`, which the app's bundler sets.
   */
  browser?: string[]
}

const packages: PackageBuild[] = [
  {
    dir: 'polyfill',
    // `index.node`/`auto.node`: what the `node` export condition resolves (the node transport as default).
    entries: ['index', 'auto', 'node', 'index.node', 'auto.node'],
    // eventsource-parser is bundled into every build: the package has no runtime dependency, so an
    // install never meets its `engines` (Node >= 22.12) nor its ESM-only shape (Node 20 cannot require() it).
    external: [/^node:/],
    notice: '/* @ssekit/polyfill bundles eventsource-parser 4.1.3, MIT, (c) Espen Hovlandsdal: see THIRD-PARTY-NOTICES.md */',
    scriptTag: { entry: 'umd', file: 'ssekit-polyfill.min.js', name: 'SSEKitPolyfill' },
    entryOnly: { chunk: 'node', modules: /[\\/]src[\\/](transport[\\/])?node(-[a-z]+)?\.ts$/ },
    standalone: ['legacy'],
  },
  {
    dir: 'client',
    // `polyfilled`: the client with the polyfill, also what the `node` condition resolves; `index` carries none.
    entries: ['index', 'polyfilled'],
    external: [/^@ssekit\/polyfill(\/|$)/],
    scriptTag: { entry: 'umd', file: 'ssekit.min.js', name: 'SSEKit', devFile: 'ssekit.dev.js' },
    // The one module that imports the polyfill goes with the entry that brings it, never into `index`.
    entryOnly: { chunk: 'polyfilled', modules: /[\\/]src[\\/]polyfill(ed|-request)\.ts$/ },
    browser: ['index', 'polyfilled'],
  },
]

const root = (path: string) => fileURLToPath(new URL(path, import.meta.url))

/** The ESM/CJS builds' language level: what Node 20 and every evergreen browser run untouched. */
const target = 'es2018'

/**
 * The script-tag bundles compile the workspace's TypeScript sources, not another package's dist:
 * `@ssekit/polyfill` inside `ssekit.min.js` is the polyfill's source, lowered to ES5 with the rest.
 */
function workspaceSources(): Plugin {
  const sources: Record<string, string> = {
    '@ssekit/polyfill': root('./packages/polyfill/src/index.ts'),
    '@ssekit/polyfill/auto': root('./packages/polyfill/src/auto.ts'),
    '@ssekit/polyfill/legacy': root('./packages/polyfill/src/legacy.ts'),
  }
  return { name: 'workspace-sources', resolveId: (id) => sources[id] ?? null }
}

/**
 * The script-tag bundles take `message-event.es5.ts` for `message-event.ts`: the same event made by
 * `Reflect.construct`, because ES5 syntax cannot declare a class that extends `Event`.
 */
function es5Events(): Plugin {
  return {
    name: 'es5-events',
    resolveId(source, importer) {
      return source === './message-event.ts' && importer ? fileURLToPath(new URL('./message-event.es5.ts', `file://${importer}`)) : null
    },
  }
}

/**
 * SWC lowers syntax, not the standard library. IE10/11 have no `String.prototype.includes`, which
 * eventsource-parser calls (`value.includes('\0')`, the check that drops an `id` with NUL), so
 * `name.includes('literal')` becomes `(name.indexOf('literal') !== -1)`, the same for strings and
 * (with no NaN literal) for arrays. Any other ES2015 method makes the ES5 sandbox test fail.
 */
function es5Includes(): Plugin {
  const call = /(^|[^\w$.])([A-Za-z_$][\w$]*)\.includes\(('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\)/g
  return {
    name: 'es5-includes',
    transform(code) {
      if (code.indexOf('.includes(') < 0) return null
      // Only columns after the call on its own line move, so the incoming source map stays usable.
      return { code: code.replace(call, '$1($2.indexOf($3) !== -1)'), map: null }
    },
  }
}

/**
 * Every private member's name in the workspace's sources (`this.state_`, `source.connect_()`), the
 * most used first, each with the name the builds give it: `_a`, `_b`, … A consumer's minifier renames
 * locals but never properties, so without this every bundle would carry `reestablishConnection_` in
 * full. The leading underscore keeps the short names clear of a subclass's own fields.
 */
function privateNames(): Record<string, string> {
  const uses: Record<string, number> = {}
  for (const pkg of ['polyfill', 'client']) {
    const dir = root(`./packages/${pkg}/src`)
    for (const file of readdirSync(dir, { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue
      for (const match of readFileSync(`${dir}/${file}`, 'utf8').matchAll(/\.([A-Za-z]+_)\b/g)) uses[match[1]!] = (uses[match[1]!] ?? 0) + 1
    }
  }
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const short = (i: number): string => (i < letters.length ? letters[i]! : short(Math.floor(i / letters.length) - 1) + letters[i % letters.length])
  const names = Object.keys(uses).sort((a, b) => uses[b]! - uses[a]! || (a < b ? -1 : 1))
  return Object.fromEntries(names.map((name, i) => [name, `_${short(i)}`]))
}

/**
 * Renames the private members (named with a trailing underscore) in each finished chunk, every build
 * from the same table, so a member keeps one name in every chunk and every build. A name the table
 * lacks is still renamed: chunks go through one at a time, each handing the next the grown table.
 * `target`: the language esbuild prints the chunk in.
 */
function manglePrivates(target = 'esnext'): Plugin {
  let mangleCache: Record<string, string | false> = {}
  let queue: Promise<unknown> = Promise.resolve()
  return {
    name: 'mangle-privates',
    buildStart() {
      mangleCache = privateNames()
    },
    renderChunk(code) {
      const next = queue.then(async () => {
        const out = await transform(code, { mangleProps: /^[A-Za-z]+_$/, mangleCache, sourcemap: true, charset: 'utf8', target })
        mangleCache = out.mangleCache ?? mangleCache
        return { code: out.code, map: out.map }
      })
      queue = next
      return next
    },
  }
}

/**
 * Puts `text` (a plain comment) at the top of each finished chunk, after the renaming, whose esbuild
 * pass keeps only legal comments: a plain one stays in our files but costs an app's bundle nothing.
 */
function notice(text: string | undefined): Plugin {
  return {
    name: 'notice',
    renderChunk(code) {
      if (!text) return null
      const out = new MagicString(code).prepend(`${text}\n`)
      return { code: out.toString(), map: out.generateMap({ hires: true }) }
    },
  }
}

/**
 * Settles `process.env.NODE_ENV`, which the client's entries read to leave the option checks out of
 * a production bundle. Only the `browser` builds keep the expression, for the app's bundler to set:
 * the other builds run where nobody sets it and where reading it may fail (Deno refuses a read of
 * the environment it was not allowed; a page without a bundler has no `process`), so they always
 * check (`'development'`). A script tag is built each way: `.min.js` for production, `.dev.js` with the checks.
 */
function nodeEnv(value: 'development' | 'production'): Plugin {
  return {
    name: 'node-env',
    transform(code) {
      if (code.indexOf('process.env.NODE_ENV') < 0) return null
      const out = new MagicString(code).replaceAll('process.env.NODE_ENV', JSON.stringify(value))
      return { code: out.toString(), map: out.generateMap({ hires: true }) }
    },
  }
}

/** Minifies each finished chunk with SWC, keeping ES5 and the `/*!` licence banner, and chaining the source map. */
function swcMinify(): Plugin {
  return {
    name: 'swc-minify',
    async renderChunk(code) {
      const out = await minify(code, {
        ecma: 5,
        compress: { passes: 2 },
        mangle: true,
        sourceMap: true,
        format: { comments: 'some' },
      })
      return { code: out.code, map: out.map ?? null }
    },
  }
}

const version = (dir: string): string =>
  (JSON.parse(readFileSync(root(`./packages/${dir}/package.json`), 'utf8')) as { version: string }).version

function builds(pkg: PackageBuild): RollupOptions[] {
  const from = (file: string) => root(`./packages/${pkg.dir}/${file}`)
  const input = Object.fromEntries(pkg.entries.map((name) => [name, from(`src/${name}.ts`)]))
  const matches = (patterns: RegExp[]) => (id: string) => patterns.some((pattern) => pattern.test(id))
  // Every module but the secondary entries' own goes into the first entry's chunk, so `auto` imports
  // `index` (one class, one identity) and no chunk with a made-up name appears in dist/.
  const secondary = pkg.entries.slice(1).map((name) => from(`src/${name}.ts`))
  const manualChunks = (id: string) => {
    if (pkg.entryOnly && pkg.entryOnly.modules.test(id)) return pkg.entryOnly.chunk
    return secondary.indexOf(id) < 0 ? pkg.entries[0] : undefined
  }
  const out = (format: 'es' | 'cjs', ext: string, chunks: typeof manualChunks | undefined, dir = 'dist'): OutputOptions => ({
    dir: from(dir),
    manualChunks: chunks,
    format,
    entryFileNames: `[name].${ext}`,
    chunkFileNames: `[name].${ext}`,
    sourcemap: true,
    ...(format === 'cjs' ? { exports: 'named' as const, interop: 'auto' as const } : {}),
  })
  const transpile = () => esbuild({ target, tsconfig: root('./tsconfig.json') })

  // A fresh dist/: a file left from a renamed entry must not get packed.
  rmSync(from('dist'), { recursive: true, force: true })
  // The Node entries register the node transport through a function `index` does not export: the
  // `index` chunk may export it as well (under a minified name), instead of rollup splitting every
  // module out of `index` into an `index2` chunk behind a facade.
  const preserveEntrySignatures = 'allow-extension' as const
  // A standalone entry's build has one input and no manual chunks: one file.
  const build = (format: 'es' | 'cjs', entries: Record<string, string>, chunks: typeof manualChunks | undefined, browser = false): RollupOptions => ({
    input: entries,
    preserveEntrySignatures,
    external: matches(pkg.external),
    plugins: [...(browser ? [] : [nodeEnv('development')]), nodeResolve({ extensions: ['.ts', '.mjs', '.js'] }), transpile(), manglePrivates(), notice(pkg.notice)],
    output: out(format, format === 'es' ? 'mjs' : 'cjs', chunks, browser ? 'dist/browser' : 'dist'),
  })
  const browserInput = Object.fromEntries((pkg.browser ?? []).map((name) => [name, input[name]!]))
  const scriptTag = (file: string, mode: 'development' | 'production'): RollupOptions => ({
    input: from(`src/${pkg.scriptTag.entry}.ts`),
    plugins: [
      es5Events(),
      workspaceSources(),
      nodeEnv(mode),
      nodeResolve({ browser: true, extensions: ['.ts', '.mjs', '.js'] }),
      es5Includes(),
      // Everything, eventsource-parser and @swc/helpers included, goes through SWC down to ES5.
      // Helpers are imported once from @swc/helpers instead of inlined in every module; they use
      // Symbol/Reflect/Map only behind `typeof` checks. Not loose: a loose subclass calls
      // `Super.call(this)`, which a native `EventTarget` refuses; the strict helpers use
      // `Reflect.construct` where it exists and fall back to `call` in IE (three of them in the
      // lean versions of build/es5-helpers.ts, es5Helpers() below). No input source maps:
      // eventsource-parser's own map points at its src/parse.ts, and mixing its lines with
      // dist/parse.js's text sent the bundle's map to the wrong lines.
      // `ie 10` lowers exactly what `target: 'es5'` does, less the typeof-Symbol pass: `_type_of` and
      // `_instanceof` only differ from the operators under a Symbol polyfill in an ES5 engine (a
      // native Symbol engine's `typeof`/`instanceof` already do what they emulate).
      // The assumptions hold here: no class's super class is swapped after its definition
      // (constantSuper); no field shadows an accessor or read-only property up the chain, so
      // assigning equals defining, as the ESM build (useDefineForClassFields: false) does
      // (setPublicClassFields); and every template literal interpolates a string or a number, for
      // which `+` and ToString agree (ignoreToPrimitiveHint).
      swc({
        swc: {
          env: { targets: 'ie 10', exclude: ['transform-typeof-symbol'] },
          jsc: { loose: false, externalHelpers: true, assumptions: { constantSuper: true, setPublicClassFields: true, setClassMethods: true, ignoreToPrimitiveHint: true } },
          sourceMaps: true,
          inputSourceMap: false,
        },
      }),
      es5Helpers(),
      // ES5 out: esbuild would print `{ listener: listener }` as `{ listener }`.
      manglePrivates('es5'),
      ...(mode === 'production' ? [swcMinify()] : []),
    ],
    output: {
      file: from(`dist/${file}`),
      format: 'iife',
      name: pkg.scriptTag.name,
      exports: 'named',
      generatedCode: 'es5',
      sourcemap: true,
      banner: `/*! @ssekit/${pkg.dir} ${version(pkg.dir)} | MIT | includes eventsource-parser (MIT, Espen Hovlandsdal) and @swc/helpers (Apache-2.0, the SWC authors) */`,
    },
  })

  const standalone = (pkg.standalone ?? []).map((name) => ({ [name]: from(`src/${name}.ts`) }))
  return [
    build('es', input, manualChunks),
    build('cjs', input, manualChunks),
    ...(pkg.browser ? [build('es', browserInput, manualChunks, true)] : []),
    ...standalone.flatMap((entry) => [build('es', entry, undefined), build('cjs', entry, undefined)]),
    {
      // Types have no evaluation order: every entry's declarations come from one build.
      input: Object.assign({}, input, ...standalone),
      external: matches(pkg.external),
      // `@internal` members (an EventSource's report methods for its attempts) stay out of the types.
      plugins: [dts({ tsconfig: root('./tsconfig.json'), respectExternal: true, compilerOptions: { stripInternal: true } })],
      output: (['d.mts', 'd.cts', 'd.ts'] as const).map((ext) => ({
        dir: from('dist'),
        format: 'es' as const,
        entryFileNames: `[name].${ext}`,
        chunkFileNames: `[name].${ext}`,
        manualChunks,
      })),
    },
    scriptTag(pkg.scriptTag.file, 'production'),
    ...(pkg.scriptTag.devFile ? [scriptTag(pkg.scriptTag.devFile, 'development')] : []),
  ]
}

export default packages.flatMap(builds)
