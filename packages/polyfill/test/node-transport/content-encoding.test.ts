import { createServer as createNetServer } from 'node:net'
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { nodeTransport } from '@ssekit/polyfill/node'
import { describe, expect, it } from 'vitest'
import { a, fetchWith, listen, useServers } from './helpers.ts'

useServers()

/** Cuts `bytes` into pieces of `size` bytes, each written on its own with a pause between. */
function pieces(bytes: Uint8Array, size: number): Array<Uint8Array | { wait: number }> {
  const out: Array<Uint8Array | { wait: number }> = []
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size), { wait: 2 })
  return out
}

const body = 'id: 1\ndata: héllo wörld €\n\n'.repeat(40) + 'data: 🎉 END\n\n'

describe('node transport: Content-Encoding', () => {
  const cases = {
    gzip: gzipSync,
    br: brotliCompressSync,
    deflate: deflateSync,
    'deflate (raw, as some servers send it)': deflateRawSync,
  }
  for (const [name, compress] of Object.entries(cases)) {
    it(`decodes a ${name} body written in 7-byte pieces`, async () => {
      const path = `/enc-${name.split(' ')[0]}-${compress.name}`
      a.route(path, { headers: { 'content-encoding': name.split(' ')[0]! }, body: pieces(compress(Buffer.from(body)), 7) })
      const outcome = await fetchWith(nodeTransport, a.url(path))
      expect(outcome.error).toBeUndefined()
      expect(outcome.text).toBe(body)
      expect(outcome.chunks).toBeGreaterThan(1)
    })
  }

  it('undoes stacked codings last-first ("deflate, gzip") and hands over an unknown coding as it came', async () => {
    a.route('/stacked', { headers: { 'content-encoding': 'deflate, gzip' }, body: pieces(gzipSync(deflateSync(Buffer.from(body))), 50) })
    expect((await fetchWith(nodeTransport, a.url('/stacked'))).text).toBe(body)
    a.route('/unknown', { headers: { 'content-encoding': 'x-custom' }, body: ['data: raw\n\n'] })
    expect((await fetchWith(nodeTransport, a.url('/unknown'))).text).toBe('data: raw\n\n')
  })

  it('passes on the text of compressed bytes that arrived just before the body broke off, then reports the error', async () => {
    // The decompressors work off the main thread: the break must not overtake the text they still hold.
    // A raw server writes the head and one chunk, then closes the connection (FIN, or RST) without the
    // chunked body's last chunk, so that the bytes and the break arrive together.
    const event = Buffer.from('data: last words\n\n')
    const cases: Array<[string, (bytes: Buffer) => Buffer, 'end' | 'reset']> = [
      ['gzip', gzipSync, 'end'],
      ['br', brotliCompressSync, 'end'],
      ['deflate', deflateSync, 'end'],
      ['gzip', gzipSync, 'reset'],
    ]
    let current = cases[0]!
    const raw = createNetServer((socket) => {
      socket.once('data', () => {
        const [coding, compress, close] = current
        const body = compress(event)
        const head = `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-encoding: ${coding}\r\ntransfer-encoding: chunked\r\n\r\n`
        const bytes = Buffer.concat([Buffer.from(`${head}${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')])
        if (close === 'end') socket.end(bytes)
        else socket.write(bytes, () => socket.resetAndDestroy())
      })
    })
    const url = `${await listen(raw, 'http')}/broken`
    try {
      for (current of cases) {
        // Losing the text is a race (about one round in two): several rounds make it show.
        for (let round = 0; round < 8; round++) {
          const outcome = await fetchWith(nodeTransport, url)
          expect(outcome.text, `${current[0]}, ${current[2]}, round ${round}`).toBe('data: last words\n\n')
          expect(outcome.error).toBeInstanceOf(Error)
          expect(outcome.end).toBeUndefined()
          expect(outcome.late).toBe(0)
        }
      }
    } finally {
      await new Promise((resolve) => raw.close(resolve))
    }
  })

  it('delivers each gzip-flushed event as it arrives, before the stream ends', async () => {
    // A server flushing its compressor after each event: the first event must reach us while the response is still open.
    const { createGzip, constants } = await import('node:zlib')
    const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH })
    const parts: Buffer[] = []
    gzip.on('data', (chunk: Buffer) => parts.push(chunk))
    await new Promise<void>((resolve) => gzip.write('data: first\n\n', () => resolve()))
    a.route('/gzip-live', { headers: { 'content-encoding': 'gzip' }, body: [Buffer.concat(parts)], hold: true })
    const first = await new Promise<string>((resolve) => {
      const abort = nodeTransport(
        { url: a.url('/gzip-live'), method: 'GET', headers: {}, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
        { active: () => true, response: () => undefined, text: (text) => (abort(), resolve(text)), end: () => resolve('end'), error: (e) => resolve(String(e)) },
      )
    })
    gzip.close()
    expect(first).toBe('data: first\n\n')
  })
})
