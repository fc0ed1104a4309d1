import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { act, createElement, type ComponentType } from 'react'
import { createRoot } from 'react-dom/client'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { startServer, type ScriptedServer } from '../server/scripted-server.ts'
import { example, examplesIn, outDir } from './examples.ts'

// The React example of docs/react.md, run as written in jsdom: the page's EventSource is the
// polyfill (jsdom has none; a browser's own would do the same). The block is written out as a .tsx
// module and imported through Vite, as a Vite app would build it (esbuild itself cannot run inside
// jsdom's realm), with `@ssekit/client` as the test config resolves it: the browser entry's source.

/** Writes example `name` as `<name>.tsx` (with the JSX setting a React app's tsconfig has) and imports it. */
async function importTsx(name: string): Promise<Record<string, unknown>> {
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { jsx: 'react-jsx', target: 'ES2022' } }))
  const file = join(outDir, `${name}.tsx`)
  writeFileSync(file, example(name).code)
  return import(/* @vite-ignore */ file)
}

let server: ScriptedServer
beforeAll(async () => {
  server = await startServer()
  ;(globalThis as { EventSource?: unknown }).EventSource = EventSource
  // Tells React that updates are wrapped in act(), as a test renderer's environment does.
  ;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true
})
afterAll(async () => {
  delete (globalThis as { EventSource?: unknown }).EventSource
  await server.close()
})

/** Waits (on real I/O turns) until `check` passes; fails with `what` after `timeout` ms. */
async function until(check: () => boolean, what: string, timeout = 5000): Promise<void> {
  const start = performance.now()
  while (!check()) {
    if (performance.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await act(() => new Promise<void>((resolve) => setTimeout(resolve, 5)))
  }
}

it('the docs run every jsdom example here', () => {
  expect(examplesIn('jsdom')).toEqual(['react-hook'])
})

it('react-hook: ServerClock shows the latest event, follows a new URL, and closes on unmount', async () => {
  const time = (ms: number) => `data: ${ms}\n\n`
  server.route('/a', { body: [time(1_700_000_000_000), time(1_700_000_001_000)], hold: true })
  server.route('/b', { body: [time(1_800_000_000_000)], hold: true })
  const { ServerClock } = (await importTsx('react-hook')) as { ServerClock: ComponentType<{ url?: string }> }
  const container = document.createElement('div')
  document.body.append(container)
  const root = createRoot(container)
  await act(() => root.render(createElement(ServerClock, { url: server.url('/a') })))
  expect(container.textContent).toMatch(/^(connecting|open): /)
  await until(() => container.textContent === `open: ${new Date(1_700_000_001_000).toISOString()}`, 'the latest event of /a')
  // A new URL: the old stream closes, the new one shows.
  await act(() => root.render(createElement(ServerClock, { url: server.url('/b') })))
  await until(() => container.textContent === `open: ${new Date(1_800_000_000_000).toISOString()}`, 'the event of /b')
  await server.waitForClosed('/a', 3000)
  // Unmounting closes the stream.
  await act(() => root.unmount())
  await server.waitForClosed('/b', 3000)
  expect(server.requests('/a')).toHaveLength(1)
  expect(server.requests('/b')).toHaveLength(1)
}, 20_000)
