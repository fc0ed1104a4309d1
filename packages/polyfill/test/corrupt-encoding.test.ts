import { brotliCompressSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { nodeTransport } from '@ssekit/polyfill/node'
import { EventSource } from '@ssekit/polyfill'
import { startServer, type ScriptedServer } from '../../../test/server/scripted-server.ts'

// Node's fetch hangs on a corrupt brotli body, which a server may send though it was asked for gzip
// and deflate only: the body neither ends nor fails, and a source on it stays OPEN with nothing
// arriving, for ever (a gap of the fetch transport in Node, documented with its remedy: the node
// transport, Node's default, or withHeartbeat). The node transport decodes every coding itself and
// reports a corrupt body as a network error the source recovers from.

let server: ScriptedServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** A compressed body with one byte in its middle flipped. */
function corrupt(compress: (data: Buffer) => Buffer): Buffer {
  const body = Buffer.from(compress(Buffer.from('data: lost\n\n'.repeat(30))))
  body[body.length >> 1]! ^= 0xff
  return body
}

for (const [coding, compress] of [['br', brotliCompressSync], ['gzip', gzipSync]] as const) {
  it(`a corrupt ${coding} body, sent unasked or not, is a network error and the source reconnects (node transport)`, async () => {
    server.route('/s', (request) =>
      request.index > 0 ? { body: ['data: END\n\n'], hold: true } : { headers: { 'content-encoding': coding }, body: [corrupt(compress)], hold: true },
    )
    await expectRecovery()
  }, 15_000)
}

async function expectRecovery(): Promise<void> {
  server.reset()
  const source = new EventSource(server.url('/s'), { transport: nodeTransport })
  const log: string[] = []
  source.onerror = (event) => log.push(`error ${(event as unknown as { error: { code: string } }).error.code}`)
  try {
    await new Promise<void>((resolve, reject) => {
      source.onmessage = (event) => {
        log.push(`message ${event.data}`)
        if (event.data === 'END') resolve()
      }
      // The default reconnection time (3 s), and a margin for a loaded machine.
      setTimeout(() => reject(new Error(`no recovery within 10 s: ${log.join(', ')}`)), 10_000)
    })
  } finally {
    source.close()
  }
  expect(log).toEqual(['error network', 'message END'])
}
