import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { expect, it } from 'vitest'

// `pnpm demo` without a person: the flags the README and issue 15 promise. Needs `pnpm build`.
const root = fileURLToPath(new URL('../../', import.meta.url))
const run = (...args: string[]) =>
  // Without the node24 stage's --experimental-eventsource: the demo runs as a user runs it.
  promisify(execFile)(process.execPath, ['demo/run.mjs', ...args], { cwd: root, timeout: 20_000, env: { ...process.env, NODE_OPTIONS: '' } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  )

it('--duration runs the server and the Node client that long, through a drop, and exits 0 with nothing lost', async () => {
  const started = performance.now()
  const { code, stdout, stderr } = await run('--duration', '4', '--port', '0')
  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(performance.now() - started).toBeLessThan(15_000)
  expect(stdout).toMatch(/^#1 message id=\d+ Date\.now\(\) = \d+/m)
  expect(stdout).toMatch(/the server was sent Last-Event-ID \d+ \(header\)/)
  expect(stdout).toMatch(/received [3-9] events, ids \d+–\d+: gaps 0, repeats 0; status is now closed/)
}, 30_000)

it('--port on a port in use says so in one line and exits 1', async () => {
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  const port = (holder.address() as { port: number }).port
  try {
    const { code, stdout, stderr } = await run('--port', String(port))
    expect(code).toBe(1)
    expect(stdout).toBe('')
    expect(stderr).toBe(`port ${port} is already in use on 127.0.0.1: stop what holds it, or pick another with --port N\n`)
  } finally {
    holder.close()
  }
})
