import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import ts from 'typescript'
import { EventSource as SpecLikeEventSource } from 'eventsource'
import { describe, expect, it, vi } from 'vitest'
import { EventSource as Polyfill } from '@ssekit/polyfill'
import { connect, type ReconnectingInfo } from '@ssekit/client'
import { sse } from '../../../test/server/scripted-server.ts'
import { serverSuite, until } from './helpers.ts'

// Issue 11 on the client: `@ssekit/client` carries no polyfill and no side effect; the polyfill
// comes in only by an explicit route. Issue 13 point 11: the shipped types compile without the DOM.
const ctx = serverSuite('entries', () => vi.unstubAllGlobals())
const root = fileURLToPath(new URL('../../../', import.meta.url))

/** The modules a browser bundle of `contents` keeps (esbuild, minified, from the sources), by path under the root. */
async function bundled(contents: string): Promise<{ modules: string[]; text: string }> {
  const out = await build({
    stdin: { contents, resolveDir: root },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2018',
    tsconfig: join(root, 'tsconfig.json'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const inputs = Object.values(out.metafile.outputs)[0]!.inputs
  return { modules: Object.keys(inputs).filter((file) => inputs[file]!.bytesInOutput > 0).map((file) => file.replace(/^(\.\.\/)*/, '')), text: out.outputFiles[0]!.text }
}

describe('what a browser bundle of @ssekit/client carries', () => {
  it('connect() over native: no EventSource class, parser or transport of the polyfill (only its query helper)', async () => {
    const { modules } = await bundled(`export { connect } from '@ssekit/client'`)
    const polyfill = modules.filter((file) => !file.startsWith('packages/client/'))
    expect(polyfill.sort()).toEqual(['packages/polyfill/src/query.ts', 'packages/polyfill/src/well-formed.ts'])
  })

  it('isClientError alone: the error classes only', async () => {
    const { modules } = await bundled(`export { isClientError } from '@ssekit/client'`)
    expect(modules).toEqual(['packages/client/src/errors.ts'])
  })

  it('a bare import: nothing (no module-level side effect)', async () => {
    expect((await bundled(`import '@ssekit/client'`)).text.trim()).toBe('')
  })

  it('@ssekit/client/polyfilled: the polyfill, through the one module that maps the options', async () => {
    const { modules } = await bundled(`export { connect } from '@ssekit/client/polyfilled'`)
    expect(modules).toContain('packages/client/src/polyfill-request.ts')
    expect(modules).toContain('packages/polyfill/src/event-source.ts')
  })
})

describe('@ssekit/client without the polyfill', () => {
  it('a platform without EventSource, or an option only the polyfill serves, is a TypeError that says which import to use', () => {
    vi.stubGlobal('EventSource', undefined)
    expect(() => connect(ctx.server.url('/none'))).toThrow(/a platform without EventSource needs the polyfill: import \{ connect \} from '@ssekit\/client\/polyfilled'/)
    expect(() => connect(ctx.server.url('/none'), { backend: 'polyfill' })).toThrow(/`backend: 'polyfill'` needs the polyfill: import \{ connect \} from '@ssekit\/client\/polyfilled'/)
    vi.stubGlobal('EventSource', SpecLikeEventSource)
    expect(() => connect(ctx.server.url('/none'), { headers: { a: 'b' } })).toThrow(/option `headers` needs the polyfill: import \{ connect \} from '@ssekit\/client\/polyfilled'/)
    expect(() => connect(ctx.server.url('/none'), { body: '{}' })).toThrow(/option `body` needs the polyfill/)
    expect(() => connect(ctx.server.url('/none'), { backend: Polyfill, headers: { a: 'b' } })).toThrow(/option `headers` needs the polyfill's request seams: import \{ connect \} from '@ssekit\/client\/polyfilled'/)
    expect(ctx.server.requests('/none')).toEqual([])
  })

  it('drives a polyfill handed over as backend (recognised by its shape): statuses, bodies and the Last-Event-ID header', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a', id: '4' }), 'id: 5\n\n'] }, { status: 503, body: ['busy'] }, { body: [], hold: true }])
    const seen: ReconnectingInfo[] = []
    ctx.client = connect(ctx.server.url(path), { backend: Polyfill, retry: { initialDelay: 0 }, polyfill: { maxEventBytes: 1000 }, onReconnecting: (info) => void seen.push(info) })
    expect(ctx.client.backend).toBe('polyfill')
    await ctx.server.waitForRequests(path, 3)
    await until(() => seen.length === 2, 'two reconnections')
    expect(seen[1]!.cause).toMatchObject({ code: 'http-status', status: 503, body: 'busy' })
    expect(ctx.server.requests(path).map((r) => r.headers['last-event-id'])).toEqual([undefined, '5', '5'])
  })
})

describe("the packages' shipped types in a Node-only TypeScript project (issue 13 point 11)", () => {
  const dist = join(root, 'packages/client/dist')
  it.skipIf(!existsSync(join(dist, 'polyfilled.d.mts')))('compile: lib es2022, @types/node, no DOM lib, skipLibCheck false (build first)', { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssekit-node-types-'))
    try {
      mkdirSync(join(dir, 'node_modules/@ssekit'), { recursive: true })
      mkdirSync(join(dir, 'node_modules/@types'), { recursive: true })
      symlinkSync(join(root, 'packages/client'), join(dir, 'node_modules/@ssekit/client'))
      symlinkSync(join(root, 'packages/polyfill'), join(dir, 'node_modules/@ssekit/polyfill'))
      symlinkSync(join(root, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'))
      symlinkSync(join(root, 'node_modules/.pnpm/node_modules/undici-types'), join(dir, 'node_modules/undici-types'))
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}')
      const main = join(dir, 'main.ts')
      writeFileSync(main, `import { addHeaders, EventSource, withRequest } from '@ssekit/polyfill'
import { connect } from '@ssekit/client'
import { connect as polyfilled } from '@ssekit/client/polyfilled'
const sse = connect<{ message: string }>('http://127.0.0.1/x', { method: 'POST', body: '{}', terminator: { data: '[DONE]' } })
sse.on('message', (data, event) => data.length + event.data.length + event.lastEventId.length)
polyfilled('http://127.0.0.1/x').close()
const source = new EventSource('http://127.0.0.1/x', { transport: withRequest((request) => addHeaders(request, { a: '1' })) })
source.addEventListener('message', (event) => event.data.length + event.lastEventId.length)
source.addEventListener('error', (event) => event.error.code.length)
source.onmessage = (event) => event.data
export {}
`)
      const program = ts.createProgram([main], {
        target: ts.ScriptTarget.ES2022,
        lib: ['lib.es2022.d.ts'],
        types: ['node'],
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        strict: true,
        skipLibCheck: false,
        noEmit: true,
      })
      const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? d.file.fileName.replace(root, '') : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
      expect(diagnostics).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
