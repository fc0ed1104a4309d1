import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'vitest'
import { bundleBlock, codeBlocks, root, type CodeBlock } from '../support/markdown.ts'

// The examples of README.md and docs/*.md, and where each one runs. A block whose first line is
// `// example: NAME` (`<!-- example: NAME -->` in HTML) is run by the test file of its place:
//   node     — test/docs/docs.test.ts: a script in a child process (its output and exit checked),
//              or a module the test imports;
//   jsdom    — test/docs/docs.jsdom.test.ts (React);
//   chromium — test/browser/docs.test.ts: a page, or a bundle loaded by one.
// Every other block says `not run: REASON` in a comment. The files: see docFiles(). docs/api/ is generated from the TSDoc and
// left out here (its blocks are the sources' @example fragments; docs.test.ts parses them).

/** Where each example runs. */
export const EXAMPLES: Record<string, 'node' | 'jsdom' | 'chromium'> = {
  'readme-script-tag': 'chromium',
  'readme-spa': 'chromium',
  'readme-node': 'node',
  'migrate-eventsource-polyfill': 'node',
  'migrate-eventsource-client': 'node',
  'migrate-fetch-event-source': 'node',
  'migrate-event-source-polyfill': 'node',
  'migrate-event-source-polyfill-script': 'chromium',
  'migrate-reconnecting-eventsource': 'node',
  'react-hook': 'jsdom',
  'vue-composable': 'node',
  'auth-refresh': 'node',
  'auth-stop-401': 'node',
  'auth-polyfill': 'node',
  'llm-polyfill': 'node',
  'proxy-server': 'node',
  'proxy-client': 'node',
  'polyfill-start': 'node',
  'polyfill-script-tag': 'chromium',
  'polyfill-auto': 'node',
  'polyfill-pieces': 'node',
  'polyfill-post': 'node',
  'polyfill-fetch': 'node',
  'polyfill-node-agent': 'node',
  'polyfill-errors': 'node',
  'polyfill-redirect': 'node',
}

/** The address the examples use (the demo's); the tests replace it with their own server's. */
export const EXAMPLE_ORIGIN = 'http://127.0.0.1:3000'

/**
 * The markdown files whose examples must run: README.md, docs/*.md (not the generated docs/api)
 * and the polyfill's README. (The client's README has its own test: packages/client/test/recipes.test.ts.)
 */
export function docFiles(): string[] {
  return ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`), 'packages/polyfill/README.md']
}

/** Every code block of the docs, in order. */
export function docBlocks(): CodeBlock[] {
  return docFiles().flatMap((file) => codeBlocks(file))
}

/** The block of example `name`; throws when the docs have none. */
export function example(name: string): CodeBlock {
  const found = docBlocks().filter((block) => block.kind === 'example' && block.name === name)
  if (found.length !== 1) throw new Error(`the docs have ${found.length} blocks named "// example: ${name}" (want 1)`)
  return found[0]!
}

/** The names of the examples that run in `place`. */
export function examplesIn(place: 'node' | 'jsdom' | 'chromium'): string[] {
  return Object.keys(EXAMPLES).filter((name) => EXAMPLES[name] === place)
}

/** The examples' build folder: inside the repository, so a bundle's external imports (react, vue) resolve. */
export const outDir = join(root, 'test/docs/.out')

/** This process's bundles: a folder of its own, so that test files running at once never share one. */
const ownDir = join(outDir, `bundles-${process.pid}`)

/** Deletes this process's bundles (for `afterAll`). */
export function removeBundles(): void {
  rmSync(ownDir, { recursive: true, force: true })
}

/**
 * Bundles example `name` as a user's bundler would (its imports of `@ssekit/*` resolved through
 * the packages' `exports` to their builds, as this folder's package.json depends on them), with
 * {@link EXAMPLE_ORIGIN} replaced by `origin`. Returns the file.
 */
export async function buildExample(name: string, options: { origin?: string; platform?: 'node' | 'browser'; external?: string[] } = {}): Promise<string> {
  const block = example(name)
  mkdirSync(ownDir, { recursive: true })
  const file = join(ownDir, `${name}.mjs`)
  const code = options.origin ? block.code.split(EXAMPLE_ORIGIN).join(options.origin) : block.code
  await bundleBlock(code, file, {
    platform: options.platform ?? 'node',
    loader: block.lang === 'tsx' ? 'tsx' : block.lang === 'js' ? 'js' : 'ts',
    external: options.external ?? [],
    resolveDir: join(root, 'test/docs'),
  })
  return file
}

/** One test per example of `place`, each running `runners[name]`; an example without a runner fails. */
export function runExamples(place: 'node' | 'jsdom' | 'chromium', runners: Record<string, () => Promise<void>>, timeout: number): void {
  for (const name of examplesIn(place)) {
    it(name, async () => {
      const runner = runners[name]
      if (!runner) throw new Error(`no runner for the ${place} example "${name}"`)
      await runner()
    }, timeout)
  }
}
