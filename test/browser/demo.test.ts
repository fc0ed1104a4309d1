import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromiumSuite } from './chromium.ts'

// The demo as a person sees it: `pnpm demo --forever` on a free port, its page in Chromium with
// four panels, and the drop button. Every panel must recover with no id skipped or repeated.
const ctx = chromiumSuite()
const root = fileURLToPath(new URL('../../', import.meta.url))
/** Git-ignored; the screenshot is for a person to look at. */
const screenshot = `${root}test-results/demo.png`

type Panel = {
  state: string
  events: number
  connections: number
  gaps: number
  repeats: number
  last: string
  resumes: { sent: string; had: string; via: string; replayed: number }[]
}
type Summary = Record<'native' | 'polyfill' | 'client' | 'ie', Panel>

let demo: ChildProcess
let url: string
let output = ''

beforeAll(async () => {
  demo = spawn(process.execPath, ['demo/run.mjs', '--forever', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  demo.stdout!.on('data', (chunk) => (output += chunk))
  demo.stderr!.on('data', (chunk) => (output += chunk))
  url = await new Promise<string>((resolve, reject) => {
    const found = () => {
      const match = /demo server on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve(match[1]!)
    }
    demo.stdout!.on('data', found)
    demo.on('exit', (code) => reject(new Error(`the demo exited (${code}) before it listened:\n${output}`)))
  })
})

afterAll(async () => {
  if (demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once('exit', resolve))
    demo.kill()
    await exited
  }
})

/** Resolves with the page's summary once every panel satisfies `ready`, which runs in the page. */
async function summaryWhen(ready: string): Promise<Summary> {
  const handle = await ctx.page.waitForFunction(
    (test) => {
      const summary = (window as unknown as { demo?: { summary(): Record<string, unknown> } }).demo?.summary()
      return summary && Object.values(summary).every(new Function('panel', `return ${test}`) as (panel: unknown) => boolean) && summary
    },
    ready,
    { timeout: 30_000, polling: 100 },
  )
  return (await handle.jsonValue()) as Summary
}

it('shows four panels receiving the stream, and each resumes after the drop with no gap and no repeat', async () => {
  ctx.page = await ctx.browser.newPage()
  await ctx.page.setViewportSize({ width: 1600, height: 980 })
  await ctx.page.goto(`${url}/`)

  const before = await summaryWhen("panel.state === 'open' && panel.events >= 3")
  for (const panel of Object.values(before)) expect(panel).toMatchObject({ connections: 1, gaps: 0, repeats: 0, resumes: [] })
  expect(await ctx.page.textContent('#client .backend')).toBe('the native')
  expect(await ctx.page.evaluate(() => (window.frames[0] as unknown as { requests: number }).requests)).toBe(1)

  await ctx.page.click('#drop')
  // Resumed, and three more events since: the replay and the live stream both went through.
  const after = await summaryWhen("panel.state === 'open' && panel.resumes.length === 1 && Number(panel.last) >= Number(panel.resumes[0].sent) + 3")
  for (const [name, panel] of Object.entries(after)) {
    expect(panel, name).toMatchObject({ connections: 2, gaps: 0, repeats: 0 })
    const [resume] = panel.resumes
    // The server was told the very id the panel had last received.
    expect(resume!.sent, name).toBe(resume!.had)
    // The client may re-create the platform's EventSource, which can only send the id in the query.
    expect(resume!.via, name).toMatch(name === 'client' ? /^(header|query)$/ : /^header$/)
  }
  expect(await ctx.page.textContent('#dropped')).toMatch(/destroyed [5-9] open \/notify responses/)
  expect(await ctx.page.evaluate(() => (window.frames[0] as unknown as { requests: number }).requests)).toBe(2)
  expect(output).toMatch(/the server was sent Last-Event-ID \d+ \(header\)/)
  // Chromium logs each destroyed response (one per panel); nothing else may go wrong.
  expect(ctx.browser.errors.filter((line) => !line.includes('net::ERR_INCOMPLETE_CHUNKED_ENCODING'))).toEqual([])

  mkdirSync(`${root}test-results`, { recursive: true })
  await ctx.page.screenshot({ path: screenshot, fullPage: true })
}, 90_000)
