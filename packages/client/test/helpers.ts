import { vi } from 'vitest'

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
