import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { startServer, type ScriptedServer } from '../server/scripted-server.ts'
import { bundleForChild } from '../support/bundle-for-child.ts'
import { expectExitAfterClose } from '../support/exits-after-close.ts'

// close() must leave no timer, socket or reader alive: a Node script that closes its source exits
// by itself. Each case runs a child process and times its exit after close().

const inJsdom = typeof document !== 'undefined'

/** The child: opens a source, closes it at the moment `when` names, prints "closed". */
const childScript = `
const [url, when, subject] = process.argv.slice(2)
const { EventSource, withHeartbeat } = subject === 'native' ? globalThis : await import(subject)
const source = new EventSource(url, when === 'open-with-heartbeat' ? { transport: withHeartbeat(60000) } : undefined)
const closeNow = () => { source.close(); console.log('closed') }
if (when === 'connecting') closeNow()
else if (when === 'reconnecting') source.onerror = () => { if (source.readyState === source.CONNECTING) closeNow() }
else source.onopen = closeNow
`

const cases = {
  /** The server never answers; an unaborted request would hold the socket open. */
  connecting: (server: ScriptedServer) => server.route('/s', () => new Promise<void>(() => {})),
  /** The response stays open; an unaborted body reader would hold the socket. */
  open: (server: ScriptedServer) => server.route('/s', { hold: true }),
  'open-with-heartbeat': (server: ScriptedServer) => server.route('/s', { hold: true }),
  /** A one-minute reconnection time: a reconnection timer left running would hold the process. */
  reconnecting: (server: ScriptedServer) => server.route('/s', { body: ['retry: 60000\n\n'] }),
}

describe.skipIf(inJsdom)('close() leaves nothing alive: the Node process exits by itself [node only: it runs child processes]', () => {
  let dir: string
  let server: ScriptedServer
  const subjects: Array<{ name: string; module: string }> = []

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssekit-exit-'))
    server = await startServer()
    // The polyfill's sources, bundled as one ES module the child can import.
    const polyfill = await bundleForChild('index', dir)
    writeFileSync(join(dir, 'child.mjs'), childScript)
    subjects.push({ name: 'polyfill', module: polyfill })
    if (process.env.SSEKIT_NODE24 === '1') subjects.push({ name: 'native', module: 'native' })
  })
  afterAll(async () => {
    await server?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  for (const subject of ['polyfill', ...(process.env.SSEKIT_NODE24 === '1' ? ['native'] : [])]) {
    for (const [when, serve] of Object.entries(cases)) {
      if (subject === 'native' && when === 'open-with-heartbeat') continue
      it(`${subject}: close() while ${when}`, async () => {
        server.reset()
        serve(server)
        const module = subjects.find((entry) => entry.name === subject)!.module
        // Nothing left to wait for: the exit follows close() at once (the default retry is 3 s, ours a minute).
        await expectExitAfterClose([join(dir, 'child.mjs'), server.url('/s'), when, module])
      })
    }
  }
})
