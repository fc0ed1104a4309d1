import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { transform } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import ts from 'typescript'
import { effectScope, nextTick, ref } from 'vue'
import { startServer, type RecordedRequest, type Route, type Script, type ScriptedServer } from '../server/scripted-server.ts'
import { codeBlocks, root } from '../support/markdown.ts'
import { until } from '../../packages/client/test/helpers.ts'
import { buildExample, docBlocks, docFiles, EXAMPLES, example, outDir, removeBundles, runExamples } from './examples.ts'

// Every example of README.md and docs/ that runs in Node, run as written (see examples.ts): a
// script runs in a child process against this file's server on 127.0.0.1, and the test checks what
// it printed, what the server received, and that it exited by itself (nothing left open).

let server: ScriptedServer
let n = 0
beforeAll(async () => {
  server = await startServer()
})
afterAll(async () => {
  removeBundles()
  await server.close()
})

/** A fresh origin-relative prefix, so each test's routes are its own. */
const prefix = () => `/t${++n}`

/** The SSE text of the demo's feed: id N is `Date.now()`-like, every third id a `myEvent`. */
function feed(from: number, count: number): string[] {
  const out = ['retry: 200\n\n']
  for (let id = from + 1; id <= from + count; id++) {
    out.push(id % 3 === 0 ? `event: myEvent\nid: ${id}\ndata: {"text":"tick ${id}"}\n\n` : `id: ${id}\ndata: ${1_700_000_000_000 + id}\n\n`)
  }
  return out
}

/** `/notify` as the demo serves it: resumes after the `Last-Event-ID` it is sent, holds the response open. */
const notify: Route = (request) => ({ body: feed(Number(request.headers['last-event-id'] ?? 0), 4), hold: true })

const json = (status: number, value: unknown): Script => ({ status, headers: { 'content-type': 'application/json' }, body: [JSON.stringify(value)] })

interface Run {
  /** stdout, then stderr. */
  out: string
  lines: string[]
  code: number | null
  /** True when the test stopped it (after `stopWhen`), false when it exited by itself. */
  stopped: boolean
}

/**
 * Runs example `name` as a Node script against `origin` (this file's server under `base` by
 * default). Resolves when it exits, or, with `stopWhen`, as soon as its output satisfies it (the
 * script is then stopped). Fails after `timeout` ms with what it printed.
 */
async function runScript(name: string, { origin, stopWhen, timeout = 10_000 }: { origin: string; stopWhen?: (lines: string[]) => boolean; timeout?: number }): Promise<Run> {
  const file = await buildExample(name, { origin })
  return new Promise((resolve, reject) => {
    // As a user runs a script: without the flag the Node 24 run adds to give Node its own EventSource.
    const env = { ...process.env, NODE_OPTIONS: (process.env.NODE_OPTIONS ?? '').replace('--experimental-eventsource', '').trim() }
    const child = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'pipe'], env })
    let out = ''
    let err = ''
    let stopped = false
    const lines = () => out.split('\n').filter((line) => line !== '')
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error(`example ${name} did not finish in ${timeout} ms; it printed:\n${out}${err}`))
    }, timeout)
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (stopWhen && !stopped && stopWhen(lines())) {
        stopped = true
        child.kill()
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ out: out + err, lines: lines(), code, stopped })
    })
  })
}

/** Asserts a script printed exactly `expected` and ended by itself with exit code 0. */
function exitedWith(run: Run, expected: (string | RegExp)[]): void {
  expect(run.stopped, run.out).toBe(false)
  expect(run.code, run.out).toBe(0)
  expect(run.lines, run.out).toHaveLength(expected.length)
  expected.forEach((line, i) => (typeof line === 'string' ? expect(run.lines[i]).toBe(line) : expect(run.lines[i]).toMatch(line)))
}

const header = (request: RecordedRequest, name: string) => request.headers[name.toLowerCase()]

describe('the docs: every code block runs or says why not', () => {
  it('the docs folder holds the files the examples list reads', () => {
    const guides = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'))
    expect(docFiles()).toEqual(expect.arrayContaining(['README.md', 'packages/polyfill/README.md', ...guides.map((name) => `docs/${name}`)]))
    expect(docFiles().length).toBeGreaterThan(5)
  })

  for (const file of docFiles()) {
    it(`${file}: each block is a named example with a runner, or is marked "not run: why"`, async () => {
      for (const block of codeBlocks(file)) {
        const where = `${file}:${block.line}`
        if (block.kind === 'example') {
          expect(block.notRun, `${where} is both an example and "not run"`).toBeUndefined()
          expect(EXAMPLES[block.name!], `${where}: example "${block.name}" has no runner in test/docs/examples.ts`).toBeDefined()
          continue
        }
        expect(block.notRun, `${where}: a \`\`\`${block.lang} block with neither "// example: NAME" nor a "not run: REASON" comment`).toBeDefined()
        expect(block.notRun!.split(/\s+/).length, `${where}: say why it is not run`).toBeGreaterThanOrEqual(2)
        // What is not run is still parsed, where it is code.
        if (['ts', 'tsx', 'js', 'jsx'].includes(block.lang)) await transform(block.code, { loader: block.lang as 'ts' })
      }
    })
  }

  it('every TypeScript block that uses only ssekit (run or not) type-checks', () => {
    // Each block a module of its own, compiled with the repository's settings (the packages' names
    // resolve to their sources) and JSX as a React app has it. Other libraries' code is only parsed.
    const dir = join(outDir, 'typecheck')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const files = new Map<string, string>()
    for (const block of docBlocks()) {
      if (!['ts', 'tsx'].includes(block.lang)) continue
      const imports = [...block.code.matchAll(/from '([^']+)'/g)].map((match) => match[1]!)
      if (imports.some((name) => !/^(@ssekit\/|node:|react|vue$)/.test(name))) continue
      const file = join(dir, `${block.file.replace(/\W/g, '_')}_${block.line}.${block.lang}`)
      writeFileSync(file, block.code)
      files.set(file, `${block.file}:${block.line}`)
    }
    const config = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile)
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
    const program = ts.createProgram([...files.keys()], { ...options, jsx: ts.JsxEmit.ReactJSX, noUnusedLocals: false })
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
        return `${files.get(diagnostic.file!.fileName)} (+${line}): ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`
      })
    expect(problems).toEqual([])
    expect(files.size).toBeGreaterThan(20)
  }, 60_000)

  it('every example with a runner is in the docs, once', () => {
    for (const name of Object.keys(EXAMPLES)) expect(() => example(name)).not.toThrow()
  })

  it("the API reference's code blocks (the sources' @example) parse", async () => {
    const files = readdirSync(join(root, 'docs/api'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md'))
    let parsed = 0
    for (const name of files) {
      for (const block of codeBlocks(`docs/api/${name}`)) {
        if (block.lang !== 'ts' || !/Example/.test(block.heading)) continue // not a `@default` value
        await expect(transform(block.code, { loader: 'ts' }), `docs/api/${name}:${block.line}`).resolves.toBeDefined()
        parsed++
      }
    }
    expect(parsed).toBeGreaterThan(5)
  })
})

/**
 * Runs example `name` against a fresh `/notify` (the demo's feed) and checks that it printed
 * `expected` (given the route's prefix) and exited by itself. Returns the prefix.
 */
async function onNotify(name: string, expected: (string | RegExp)[] | ((base: string) => (string | RegExp)[])): Promise<string> {
  const base = prefix()
  server.route(`${base}/notify`, notify)
  exitedWith(await runScript(name, { origin: server.url(base) }), typeof expected === 'function' ? expected(base) : expected)
  return base
}

/** The migration examples' check: the first `myEvent`'s text printed, the token sent, the script ended by itself. */
async function printsMyEventWithToken(name: string): Promise<void> {
  const base = await onNotify(name, ['tick 3'])
  expect(header(server.requests(`${base}/notify`)[0]!, 'authorization')).toBe('Bearer my-token')
}

const runners: Record<string, () => Promise<void>> = {
  async 'readme-node'() {
    const base = prefix()
    server.route(`${base}/notify`, notify)
    const run = await runScript('readme-node', { origin: server.url(base) })
    exitedWith(run, [/^message #1: 1700000000001$/, /^message #2: 1700000000002$/, /^message #4: 1700000000004$/])
    expect(header(server.requests(`${base}/notify`)[0]!, 'authorization')).toBe('Bearer my-token')
    await server.waitForClosed(`${base}/notify`)
  },

  'migrate-eventsource-polyfill': () => printsMyEventWithToken('migrate-eventsource-polyfill'),

  'migrate-eventsource-client': () => printsMyEventWithToken('migrate-eventsource-client'),

  'migrate-event-source-polyfill': () => printsMyEventWithToken('migrate-event-source-polyfill'),

  async 'migrate-fetch-event-source'() {
    const base = prefix()
    server.route(`${base}/api/chat`, [
      { body: ['data: {"text":"Hel"}\n\n', 'data: {"text":"lo"}\n\n', 'data: [DONE]\n\n'], hold: true },
      json(401, { error: 'invalid token' }),
    ])
    exitedWith(await runScript('migrate-fetch-event-source', { origin: server.url(base) }), ['Hel', 'lo'])
    const [request] = server.requests(`${base}/api/chat`)
    expect(request!.method).toBe('POST')
    expect(JSON.parse(request!.body)).toEqual({ prompt: 'Hello' })
    expect(header(request!, 'authorization')).toBe('Bearer my-token')
    // The second run meets a 401: no retry, the server's explanation printed.
    exitedWith(await runScript('migrate-fetch-event-source', { origin: server.url(base) }), ['failed 401 {"error":"invalid token"}'])
    expect(server.requests(`${base}/api/chat`)).toHaveLength(2)
  },

  async 'migrate-reconnecting-eventsource'() {
    const base = prefix()
    // The first connection breaks after two events; the second resumes from the id it is sent.
    server.route(`${base}/notify`, (request) =>
      request.index === 0 ? { body: [...feed(0, 2), { wait: 50 }, { destroy: true }] } : { body: feed(Number(header(request, 'last-event-id') ?? 0), 2), hold: true },
    )
    const run = await runScript('migrate-reconnecting-eventsource', {
      origin: server.url(base),
      stopWhen: (lines) => lines.includes('message #4: 1700000000004'),
    })
    expect(run.lines, run.out).toEqual(['message #1: 1700000000001', 'message #2: 1700000000002', 'reconnecting #1 from id 2', 'message #4: 1700000000004'])
    expect(header(server.requests(`${base}/notify`)[1]!, 'last-event-id')).toBe('2')
  },

  async 'vue-composable'() {
    const base = prefix()
    server.route(`${base}/a`, { body: ['data: 1\n\n'], hold: true })
    server.route(`${base}/b`, { body: ['data: 2\n\n'], hold: true })
    const { useEventStream } = (await import(pathToFileURL(await buildExample('vue-composable', { external: ['vue'] })).href)) as {
      useEventStream<T>(url: unknown, type?: string): { data: { value: T | undefined }; status: { value: string } }
    }
    const scope = effectScope()
    const url = ref(server.url(`${base}/a`))
    const { data, status } = scope.run(() => useEventStream<number>(url))!
    await until(() => data.value === 1 && status.value === 'open', 'the first event')
    // A new URL closes the old stream and opens the new one.
    url.value = server.url(`${base}/b`)
    await nextTick()
    await until(() => data.value === 2, 'the event of the new URL')
    await server.waitForClosed(`${base}/a`, 3000)
    // Disposing the scope (the component unmounting) closes the stream.
    scope.stop()
    await server.waitForClosed(`${base}/b`, 3000)
  },

  async 'auth-refresh'() {
    const base = prefix()
    let issued = 0
    server.route(`${base}/token`, () => json(200, { token: `t${++issued}` }))
    server.route(`${base}/private`, (request) =>
      header(request, 'authorization') === 'Bearer t2' ? { body: ['data: hello\n\n'], hold: true } : json(401, { error: 'token expired' }),
    )
    exitedWith(await runScript('auth-refresh', { origin: server.url(base) }), ['open after 1 reconnection(s)', 'message: hello'])
    expect(server.requests(`${base}/private`).map((request) => header(request, 'authorization'))).toEqual(['Bearer t1', 'Bearer t2'])
    expect(issued).toBe(2)
  },

  async 'auth-stop-401'() {
    const base = prefix()
    server.route(`${base}/private`, json(401, { error: 'token expired' }))
    exitedWith(await runScript('auth-stop-401', { origin: server.url(base) }), ['gave up: HTTP 401 {"error":"token expired"}', 'closed: give-up'])
    expect(server.requests(`${base}/private`)).toHaveLength(1)
  },

  async 'auth-polyfill'() {
    const base = prefix()
    server.route(`${base}/token`, () => json(200, { token: 'fresh' }))
    server.route(`${base}/private`, [{ body: ['data: hello\n\n'], hold: true }, json(401, { error: 'token expired' })])
    exitedWith(await runScript('auth-polyfill', { origin: server.url(base) }), ['message: hello'])
    expect(header(server.requests(`${base}/private`)[0]!, 'authorization')).toBe('Bearer fresh')
    // A 401 closes the polyfill: the script says why and exits.
    exitedWith(await runScript('auth-polyfill', { origin: server.url(base) }), ['HTTP 401: {"error":"token expired"}'])
  },

  async 'llm-polyfill'() {
    const base = prefix()
    const chunk = (content: string) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`
    server.route(`${base}/v1/chat/completions`, { body: [chunk('Hello'), chunk(', world'), 'data: [DONE]\n\n'], hold: true })
    exitedWith(await runScript('llm-polyfill', { origin: server.url(base) }), ['Hello, world'])
    const requests = server.requests(`${base}/v1/chat/completions`)
    expect(requests).toHaveLength(1)
    expect(requests[0]!.method).toBe('POST')
    expect(header(requests[0]!, 'authorization')).toBe('Bearer sk-my-key')
    expect(JSON.parse(requests[0]!.body)).toMatchObject({ model: 'gpt-4o-mini', stream: true })
  },

  async 'proxy-server'() {
    const { notify: handler } = (await import(pathToFileURL(await buildExample('proxy-server')).href)) as { notify(req: IncomingMessage, res: ServerResponse): void }
    const app = createServer(handler)
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
    try {
      // The preflight a cross-origin Last-Event-ID header makes.
      const preflight = await fetch(`${origin}/notify`, { method: 'OPTIONS' })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Last-Event-ID')
      // A stream that resumes after the id it is sent, by header or by query, without buffering.
      for (const [url, headers] of [[`${origin}/notify`, { 'Last-Event-ID': '41' }], [`${origin}/notify?lastEventId=41`, {}]] as const) {
        const controller = new AbortController()
        const response = await fetch(url, { headers, signal: controller.signal })
        expect(response.headers.get('content-type')).toBe('text/event-stream')
        expect(response.headers.get('x-accel-buffering')).toBe('no')
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
        let text = ''
        while (!text.includes('\n\nid: ')) text += (await reader.read()).value
        expect(text).toMatch(/^retry: 2000\n\nid: 42\n/)
        controller.abort()
      }
      // The client example of the same page, against it.
      exitedWith(await runScript('proxy-client', { origin }), [/^#1: \d+$/, /^#2: \d+$/])
    } finally {
      app.closeAllConnections()
      await new Promise((resolve) => app.close(resolve))
    }
  },

  'polyfill-start': () => onNotify('polyfill-start', ['1: 1700000000001', '2: 1700000000002', '3: {"text":"tick 3"}']).then(() => {}),

  'polyfill-auto': () => onNotify('polyfill-auto', ['1700000000001']).then(() => {}),

  async 'polyfill-pieces'() {
    const base = prefix()
    server.route(`${base}/notify`, (request) => ({ body: feed(Number(request.url.searchParams.get('since') ?? 0), 2), hold: true }))
    const origin = server.url(base)
    exitedWith(await runScript('polyfill-pieces', { origin }), [`attempt 0: GET ${origin}/notify?since=2`, '4: 1700000000004'])
    const [request] = server.requests(`${base}/notify`)
    expect(header(request!, 'authorization')).toBe('Bearer my-token')
    expect(header(request!, 'last-event-id')).toBeUndefined()
  },

  async 'polyfill-post'() {
    const base = prefix()
    server.route(`${base}/chat`, { body: ['data: Hi\n\n'], hold: true })
    exitedWith(await runScript('polyfill-post', { origin: server.url(base) }), ['Hi'])
    const [request] = server.requests(`${base}/chat`)
    expect(request!.method).toBe('POST')
    expect(JSON.parse(request!.body)).toEqual({ prompt: 'Hello', after: '' })
  },

  'polyfill-fetch': () => onNotify('polyfill-fetch', (base) => [`fetch GET ${base}/notify`, '1700000000001']).then(() => {}),

  'polyfill-node-agent': () => onNotify('polyfill-node-agent', ['1700000000001']).then(() => {}),

  async 'polyfill-errors'() {
    const base = prefix()
    server.route(`${base}/missing`, { status: 404, headers: { 'content-type': 'text/plain' }, body: ['no stream here'] })
    exitedWith(await runScript('polyfill-errors', { origin: server.url(base) }), ['http-status 404 willReconnect=false: no stream here'])
  },

  async 'polyfill-redirect'() {
    const base = prefix()
    const other = await startServer()
    try {
      other.route('/steal', notify)
      server.route(`${base}/feed`, { redirect: other.url('/steal') })
      exitedWith(await runScript('polyfill-redirect', { origin: server.url(base) }), ['network, willReconnect=true'])
      expect(header(server.requests(`${base}/feed`)[0]!, 'x-api-key')).toBe('my-secret-key')
      // The other origin never saw the key: it had no request at all.
      expect(other.requests()).toHaveLength(0)
    } finally {
      await other.close()
    }
  },

  async 'proxy-client'() {
    // Run against the proxy-server example (above), which is what it is written for.
    expect(EXAMPLES['proxy-server']).toBe('node')
  },
}

describe('the docs: Node examples, run as written', () => runExamples('node', runners, 20_000))
