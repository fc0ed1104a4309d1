import { spawn } from 'node:child_process'
import { expect } from 'vitest'

/**
 * Runs a child Node script that closes an event source and prints "closed", and checks that the
 * process then exits by itself, promptly and cleanly: proof that close() left no timer, socket or
 * reader alive.
 */
export async function expectExitAfterClose(args: string[], exitWithinMs = 1500): Promise<void> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  let closedAt: number | undefined
  child.stderr.on('data', (chunk) => (stderr += chunk))
  child.stdout.on('data', (chunk) => {
    if (String(chunk).includes('closed')) closedAt ??= performance.now()
  })
  const exit = await Promise.race([
    new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() }))),
    new Promise<undefined>((resolve) => setTimeout(resolve, 8000)),
  ])
  if (!exit) child.kill()
  expect(exit, `the child did not exit within 8 s of starting\n${stderr}`).toBeDefined()
  expect(exit!.code, stderr).toBe(0)
  expect(closedAt, 'the child never called close()').toBeDefined()
  expect(exit!.at - closedAt!).toBeLessThan(exitWithinMs)
}
