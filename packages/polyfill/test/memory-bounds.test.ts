import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleForChild } from '../../../test/support/bundle-for-child.ts'

// A hostile server must not grow a client without limit. Each case runs a child process (a fresh
// heap, its fetch loaded) that opens a source on a hostile stream and reports the error it got and the most its
// memory (RSS) grew while it read: with the defaults, whatever the stream, the growth stays within
// a few times the event size cap. The margins are wide: a loaded machine moves RSS by megabytes,
// the unbounded behaviour by hundreds of them.

const MiB = 1024 * 1024

/** The child: a source on argv's URL, with argv's options; prints { code, grewMiB } as JSON. */
const childScript = `
const [module, url, transport, max] = process.argv.slice(2)
const polyfill = await import(module)
// Node loads its fetch (undici, ~20 MB) on first use: load it before the baseline.
if (transport === 'fetch') await (await fetch(new URL('/warm', url))).text()
const base = process.memoryUsage().rss
let peak = base
const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 2)
const init = { transport: transport === 'fetch' ? polyfill.fetchTransport : undefined }
if (max) init.maxEventBytes = Number(max)
const source = new polyfill.EventSource(url, init)
source.onmessage = () => {}
source.onerror = (event) => {
  peak = Math.max(peak, process.memoryUsage().rss)
  source.close()
  clearInterval(sampler)
  console.log(JSON.stringify({ code: event.error.code, grewMiB: (peak - base) / ${MiB} }))
}
`

/**
 * Writes `body` 64 KiB at a time, each write once the last has drained: what the client holds is
 * then its own doing, not a transport's buffer of a body that arrived all at once.
 */
function trickle(res: ServerResponse, body: Buffer, from = 0): void {
  while (from < body.length && !res.destroyed) {
    const more = res.write(body.subarray(from, (from += 65536)))
    if (!more) return void res.once('drain', () => trickle(res, body, from))
  }
  res.end()
}

let server: Server
let origin = ''
let dir = ''
let module = ''

/** A gzip bomb: `data: ` and 200 MB of one character, no line break (about 200 KB on the wire). */
const bomb = gzipSync(Buffer.concat([Buffer.from('data: '), Buffer.alloc(200 * MiB, 'x')]), { level: 9 })
/** One event of ten million empty `data:` lines (60 MB), then its blank line. */
const manyLines = Buffer.from('data:\n'.repeat(10_000_000) + '\n')

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/warm') res.end('warm')
    else if (req.url === '/bomb') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' })
      res.end(bomb)
    } else {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      trickle(res, manyLines)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  dir = mkdtempSync(join(tmpdir(), 'ssekit-memory-'))
  module = await bundleForChild('index.node', dir)
  writeFileSync(join(dir, 'child.mjs'), childScript)
}, 60_000)

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function run(path: string, transport: 'node' | 'fetch', max?: number): Promise<{ code: string; grewMiB: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(dir, 'child.mjs'), module, origin + path, transport, max ? String(max) : ''], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`))
      else resolve(JSON.parse(stdout))
    })
  })
}

describe('memory stays bounded by the default event size cap [child processes]', () => {
  for (const transport of ['node', 'fetch'] as const) {
    // Measured on the code before the default cap: 250-270 MB, and the event was only dropped when the stream ended.
    it(`a gzip bomb (200 MB of one line in ~200 KB) is refused once its decoded text passes 4 MiB (${transport} transport)`, async () => {
      const { code, grewMiB } = await run('/bomb', transport)
      expect(code).toBe('event-too-large')
      expect(grewMiB).toBeLessThan(64)
    }, 60_000)

    // Measured on the code before the line bound: the cap stopped the event at 2 million lines, after 100-160 MB.
    it(`an event of millions of empty data lines is refused before its lines cost more than a few times the cap (${transport} transport, cap 2 MiB)`, async () => {
      const { code, grewMiB } = await run('/lines', transport, 2 * MiB)
      expect(code).toBe('event-too-large')
      expect(grewMiB).toBeLessThan(48)
    }, 60_000)
  }
})
