import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { expectExitAfterClose } from '../../../../test/support/exits-after-close.ts'
import { a, useServers } from './helpers.ts'

useServers()

describe('node transport: a Node script exits by itself after close() [child processes]', () => {
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssekit-node-transport-'))
    const { build } = await import('esbuild')
    await build({
      stdin: {
        contents: `export { EventSource } from './index.ts'\nexport { nodeTransport } from './node.ts'`,
        resolveDir: fileURLToPath(new URL('../../src/', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: join(dir, 'polyfill.mjs'),
      logLevel: 'silent',
    })
    writeFileSync(
      join(dir, 'child.mjs'),
      `const [url, when, module] = process.argv.slice(2)
const { EventSource, nodeTransport } = await import(module)
const source = new EventSource(url, { transport: nodeTransport })
const closeNow = () => { source.close(); console.log('closed') }
if (when === 'connecting') closeNow()
else if (when === 'reconnecting') source.onerror = () => { if (source.readyState === source.CONNECTING) closeNow() }
else source.onopen = closeNow
`,
    )
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const serve: Record<string, () => void> = {
    connecting: () => a.route('/exit', () => new Promise<void>(() => {})),
    open: () => a.route('/exit', { hold: true }),
    // Ended cleanly: the keep-alive socket goes back to the global agent's pool, which must not hold the process.
    reconnecting: () => a.route('/exit', { body: ['retry: 60000\n\n'] }),
  }
  for (const [when, route] of Object.entries(serve)) {
    it(`close() while ${when}`, async () => {
      route()
      await expectExitAfterClose([join(dir, 'child.mjs'), a.url('/exit'), when, pathToFileURL(join(dir, 'polyfill.mjs')).href])
    })
  }
})
