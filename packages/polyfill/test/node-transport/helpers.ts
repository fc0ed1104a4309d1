import { readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo, Server as NetServer } from 'node:net'
import type { Transport, TransportResponse } from '@ssekit/polyfill'
import { afterAll, beforeAll } from 'vitest'
import { startServer, type ScriptedServer } from '../../../../test/server/scripted-server.ts'

// What the node transport's test files share: two scripted servers, a runner that takes one
// request to its end, and the TLS and listening helpers of the https and proxy tests.

/** Server `a`, and `b` for another origin: set by {@link useServers} before the file's first test. */
export let a: ScriptedServer
export let b: ScriptedServer

/** Registers this file's hooks: both servers start before its first test and close after its last. */
export function useServers(): void {
  beforeAll(async () => {
    a = await startServer()
    b = await startServer()
  })
  afterAll(async () => {
    await Promise.all([a.close(), b.close()])
  })
}

/** What one transport request did, as {@link fetchWith} collects it. */
export interface Outcome {
  response: TransportResponse | undefined
  text: string
  chunks: number
  end: 'eof' | 'recycle' | undefined
  error: unknown
  /** Handler calls after the first end or error: must stay 0. */
  late: number
}

/** Runs one transport request to its end or error. */
export function fetchWith(transport: Transport, url: string, headers: Record<string, string> = { Accept: 'text/event-stream' }): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { response: undefined, text: '', chunks: 0, end: undefined, error: undefined, late: 0 }
    let done = false
    const finish = () => {
      if (done) outcome.late++
      done = true
      resolve(outcome)
    }
    transport(
      { url, method: 'GET', headers, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
      {
        active: () => true,
        response: (response) => void (outcome.response = response),
        text: (chunk) => {
          if (done) outcome.late++
          outcome.text += chunk
          outcome.chunks++
        },
        end: (reason) => {
          outcome.end = reason
          finish()
        },
        error: (cause) => {
          outcome.error = cause
          finish()
        },
      },
    )
  })
}

/** The self-signed certificate of `packages/polyfill/test/fixtures` (CN and subjectAltName 127.0.0.1, valid until 2036). */
export const tls = {
  key: readFileSync(new URL('../fixtures/localhost-key.pem', import.meta.url)),
  cert: readFileSync(new URL('../fixtures/localhost-cert.pem', import.meta.url)),
}

/** Listens on 127.0.0.1 on a free port; resolves with the origin. */
export async function listen(server: NetServer, scheme: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Closes a server and every connection it still holds. */
export function shut(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve()
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}
