import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Bundles one of the polyfill's source entries (`index`, `index.node`, …) into `dir` as one ES
 * module a child Node process can import, and returns its file URL. esbuild is imported here, on
 * call: loading it under the jsdom environment fails, even where the calling tests skip there.
 */
export async function bundleForChild(entry: string, dir: string): Promise<string> {
  const { build } = await import('esbuild')
  const outfile = join(dir, 'polyfill.mjs')
  await build({
    entryPoints: [fileURLToPath(new URL(`../../packages/polyfill/src/${entry}.ts`, import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile,
    logLevel: 'silent',
  })
  return pathToFileURL(outfile).href
}
