import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

// Code blocks of the project's markdown, as the tests that run them read them: the client README's
// LLM recipes (packages/client/test/recipes.test.ts) and every example of README.md and docs/
// (test/docs). A changed block is a tested block, because the tests read the markdown itself.

// From a string, not `new URL(…)`: jsdom's URL is not one node:url accepts.
export const root = join(dirname(fileURLToPath(import.meta.url)), '../../')

/** One fenced code block. */
export interface CodeBlock {
  /** The markdown file, relative to the repository root. */
  file: string
  /** The line of its opening fence (1-based), for messages. */
  line: number
  /** The fence's language (`ts`, `html`, `sh`, …; `''` for none). */
  lang: string
  code: string
  /** `example` or `recipe` when its first line is a marker comment naming it, else undefined. */
  kind: 'example' | 'recipe' | undefined
  /** The name after `// example:` / `// recipe:` (`<!-- example: … -->` in HTML). */
  name: string | undefined
  /** The reason given after `not run:` in a comment, for a block the tests deliberately do not run. */
  notRun: string | undefined
  /** The last heading above it (`''` when none). */
  heading: string
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/
const MARKER = /^\s*(?:\/\/|<!--)\s*(example|recipe):\s*([\w-]+)/
const NOT_RUN = /(?:\/\/|#|<!--)\s*not run:\s*(.+?)\s*(?:-->)?$/m

/** Every fenced code block of `file` (a path relative to the repository root), in order. */
export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(root + file, 'utf8').split('\n')
  const blocks: CodeBlock[] = []
  let heading = ''
  for (let i = 0; i < lines.length; i++) {
    if (/^#{1,6} /.test(lines[i]!)) heading = lines[i]!
    const open = FENCE.exec(lines[i]!)
    if (!open) continue
    const [, indent, fence, lang] = open
    const body: string[] = []
    let j = i + 1
    while (j < lines.length && !(lines[j]!.trim().startsWith(fence!) && lines[j]!.trim().replace(/[`~]/g, '') === '')) body.push(lines[j++]!.slice(indent!.length))
    const code = body.join('\n') + '\n'
    const marker = MARKER.exec(body[0] ?? '')
    const notRun = NOT_RUN.exec(code)
    blocks.push({
      file,
      line: i + 1,
      lang: lang!,
      code,
      kind: marker ? (marker[1] as 'example' | 'recipe') : undefined,
      name: marker ? marker[2] : undefined,
      notRun: notRun ? notRun[1] : undefined,
      heading,
    })
    i = j
  }
  return blocks
}

/** How {@link bundleBlock} builds a block. */
export interface BundleOptions {
  /** `node` (the default) or `browser`. */
  platform?: 'node' | 'browser'
  /** Import specifiers to replace by files (the packages' sources or builds). */
  alias?: Record<string, string>
  /** Imports left as they are, resolved from `outfile`'s folder when it runs. */
  external?: string[]
  /** @default 'ts' */
  loader?: 'ts' | 'tsx' | 'js' | 'jsx'
  /**
   * Where its imports resolve from. The repository root (the default) also applies the root
   * tsconfig, whose `paths` point the packages' names at their sources; any other folder resolves
   * them as a user's app does, through node_modules and the packages' `exports`.
   * @default the repository root
   */
  resolveDir?: string
}

/** Bundles one block as an ES module into `outfile`, as a user's bundler would build it. */
export async function bundleBlock(code: string, outfile: string, options: BundleOptions = {}): Promise<void> {
  // Loaded here, not at the top: esbuild refuses to load in jsdom's realm, where the React test reads blocks.
  const { build } = await import('esbuild')
  const platform = options.platform ?? 'node'
  await build({
    stdin: { contents: code, loader: options.loader ?? 'ts', resolveDir: options.resolveDir ?? root },
    bundle: true,
    format: 'esm',
    platform,
    target: platform === 'node' ? 'node20' : 'es2020',
    alias: options.alias ?? {},
    external: options.external ?? [],
    jsx: 'automatic',
    ...(options.resolveDir === undefined ? { tsconfig: root + 'tsconfig.json' } : { tsconfigRaw: {} }),
    outfile,
    logLevel: 'silent',
  })
}
