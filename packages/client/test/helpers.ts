import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import type { SSEClient } from '@ssekit/client'
import { startServer, type Route, type Script, type ScriptedServer } from '../../../test/server/scripted-server.ts'

// Real time for test bounds: performance.now and setImmediate are never faked in these suites.
const realNow = () => performance.now()

/** Waits (on real I/O turns, not timers) until `check` passes; fails with `what` after `timeout` ms. */
export async function until(check: () => boolean, what: string, timeout = 5000): Promise<void> {
  const start = realNow()
  while (!check()) {
    if (realNow() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
}

/** Fakes only the clock the client's policy reads and the timers it sets; I/O keeps running. */
export function fakeClock(): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
}

/** One test file's scripted server and the client its current test opened. */
export interface ServerSuite {
  /** Started before the file's first test, closed after its last. */
  readonly server: ScriptedServer
  /** The test's client: closed after each test, before waiting for the server's responses to close. */
  client: SSEClient<any> | undefined
  /** A fresh path, `/<prefix>-<n>`. */
  path(): string
  /** The URL of a fresh path that sends `events` and then holds the connection open. */
  stream(...events: string[]): string
}

/**
 * Registers this file's hooks: a scripted server for all its tests and, after each test, closing
 * `suite.client`, then `afterClose` (for what the test faked), then waiting until every response
 * has closed so no test sees the previous one's connections.
 */
export function serverSuite(prefix: string, afterClose?: () => void): ServerSuite {
  let server: ScriptedServer | undefined
  let n = 0
  const suite: ServerSuite = {
    get server() {
      if (!server) throw new Error('the scripted server starts in beforeAll')
      return server
    },
    client: undefined,
    path: () => `/${prefix}-${++n}`,
    stream(...events) {
      const path = suite.path()
      suite.server.route(path, { body: events, hold: true })
      return suite.server.url(path)
    },
  }
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => suite.server.close())
  afterEach(async () => {
    suite.client?.close()
    suite.client = undefined
    afterClose?.()
    await suite.server.waitForClosed()
  })
  return suite
}

/** A route that answers `scripts[n]` to the nth request (the last one after that), and keeps its body in `bodies[n]`. */
export function recordBodies(bodies: string[], scripts: Script[]): Route {
  return (request) => {
    bodies[request.index] = request.body
    return scripts[Math.min(request.index, scripts.length - 1)]
  }
}
