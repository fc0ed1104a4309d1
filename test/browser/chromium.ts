import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import type { ScriptedServer } from '../server/scripted-server.ts'

/** Debian's Chromium, the only browser the suite uses (nothing is downloaded). */
export const chromiumPath = '/usr/bin/chromium'

/**
 * The flags the machine needs: no sandbox as root, no GPU, and no background traffic to hosts the
 * closed network refuses (without these Chromium keeps trying them).
 */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** A running Chromium with a fresh profile. */
export interface ChromiumSession {
  context: BrowserContext
  /** A new tab; its uncaught errors and `console.error` lines are collected in `errors`. */
  newPage(): Promise<Page>
  /** Uncaught page errors and console errors of every page, in order, for assertions and failure messages. */
  errors: string[]
  /** Closes the browser and deletes the profile folder. */
  close(): Promise<void>
}

/** Says what to do when Chromium is not installed, instead of a bare ENOENT. */
export function assertChromiumInstalled(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}. Install Debian's package first: ` +
        '`apt-get update && apt-get install -y chromium` (as root), or run `bash .ci/run`, which does it.',
    )
  }
}

/** Launches Debian's Chromium headless through playwright-core, with a new empty `--user-data-dir`. */
export async function launchChromium(): Promise<ChromiumSession> {
  assertChromiumInstalled()
  const profile = mkdtempSync(join(tmpdir(), 'ssekit-chromium-'))
  // launchPersistentContext is how Playwright takes a --user-data-dir of our choosing.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  })
  const errors: string[] = []
  return {
    context,
    errors,
    async newPage() {
      const page = await context.newPage()
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console.error: ${message.text()}`)
      })
      return page
    },
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

/** A test file's Chromium, and the server and tab its current test opened. */
export interface ChromiumSuite {
  /** Launched before the file's first test, closed after its last. */
  readonly browser: ChromiumSession
  /** The test's server: closed after each test (after its tab). */
  server: ScriptedServer
  /** The test's tab: closed after each test. */
  page: Page
}

/**
 * Registers this file's hooks: one Chromium for all its tests and, after each test, closing the
 * tab and then the server the test put in `server` and `page` (a test may open neither).
 */
export function chromiumSuite(): ChromiumSuite {
  let browser: ChromiumSession | undefined
  let server: ScriptedServer | undefined
  let page: Page | undefined
  const opened = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what} yet`)
    return value
  }
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
  })
  afterEach(async () => {
    await page?.close()
    await server?.close()
    page = undefined
    server = undefined
  })
  return {
    get browser() {
      return opened(browser, 'Chromium (it launches in beforeAll)')
    },
    get server() {
      return opened(server, 'server in this test')
    },
    set server(value) {
      server = value
    },
    get page() {
      return opened(page, 'tab in this test')
    },
    set page(value) {
      page = value
    },
  }
}

const dist = (path: string) => fileURLToPath(new URL(`../../packages/${path}`, import.meta.url))

/** The built script-tag bundles (and their source maps) by the URL path the server gives them. */
export const bundleFiles: Record<string, string> = {
  '/ssekit-polyfill.min.js': dist('polyfill/dist/ssekit-polyfill.min.js'),
  '/ssekit-polyfill.min.js.map': dist('polyfill/dist/ssekit-polyfill.min.js.map'),
  '/ssekit.min.js': dist('client/dist/ssekit.min.js'),
  '/ssekit.min.js.map': dist('client/dist/ssekit.min.js.map'),
}

/** Serves the built bundles from `server` at `/ssekit-polyfill.min.js` and `/ssekit.min.js`; needs `pnpm build` first. */
export function serveBundles(server: ScriptedServer): void {
  for (const [path, file] of Object.entries(bundleFiles)) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx -y pnpm@10.34.9 build\` first`)
    server.file(path, { file }, path.endsWith('.map') ? 'application/json' : 'text/javascript; charset=utf-8')
  }
  // Chromium asks for one on every page; a 404 would show up as a console error.
  server.file('/favicon.ico', { content: '' }, 'image/x-icon')
}

/** Serves an HTML page at `path` and returns its URL. */
export function servePage(server: ScriptedServer, path: string, html: string): string {
  server.file(path, { content: html }, 'text/html; charset=utf-8')
  return server.url(path)
}
