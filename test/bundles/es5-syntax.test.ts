import { SourceMap, type SourceMapPayload } from 'node:module'
import { beforeEach, describe, expect, it } from 'vitest'
import { assertES5, bundles, es5Sandbox, modernGlobals, readBundle } from './es5.ts'
import { FakeXMLHttpRequest } from './fake-xhr.ts'

const polyfill = () => readBundle(bundles.polyfill)
const client = () => readBundle(bundles.client)

/** Resolves once `check()` holds; the bundle may start its request on a timer. */
async function until(check: () => boolean, what: string): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > 2000) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

describe('script-tag bundles are ES5 syntax', () => {
  it('ssekit-polyfill.min.js parses as ES5', () => {
    expect(() => assertES5(polyfill())).not.toThrow()
  })

  it('ssekit.min.js parses as ES5', () => {
    expect(() => assertES5(client())).not.toThrow()
  })

  it('ssekit.dev.js parses as ES5', () => {
    expect(() => assertES5(readBundle(bundles.clientDev))).not.toThrow()
  })

  it.each([
    ['an arrow function', 'var f = (a) => a'],
    ['a class', 'class A {}'],
    ['let', 'let x = 1'],
    ['const', 'const x = 1'],
    ['a template literal', 'var s = `x${1}`'],
    ['for…of', 'for (var x of []) {}'],
    ['a spread call', 'f(...xs)'],
    ['a shorthand method', 'var o = { m() {} }'],
  ])('the checker rejects %s (it can fail)', (_, snippet) => {
    expect(() => assertES5(snippet)).toThrow(SyntaxError)
  })

  // A distinctive string from our TypeScript and one from eventsource-parser must map back to the line that holds it.
  it.each([
    ['ssekit-polyfill.min.js', bundles.polyfill],
    ['ssekit.min.js', bundles.client],
  ])('%s has a source map that leads back to the right source lines', (_, file) => {
    const code = readBundle(file)
    expect(code).toMatch(/\/\/# sourceMappingURL=ssekit(-polyfill)?\.min\.js\.map\s*$/)
    const map = new SourceMap(JSON.parse(readBundle(`${file}.map`)) as SourceMapPayload)
    for (const [needle, source] of [['overrideMimeType', 'transport/xhr.ts'], ['Cannot feed parser', 'eventsource-parser/dist/parse.js']] as const) {
      const at = code.indexOf(needle)
      expect(at, needle).toBeGreaterThan(0)
      const line = code.slice(0, at).split('\n').length - 1
      const entry = map.findEntry(line, at - code.lastIndexOf('\n', at) - 1) as { originalSource: string; originalLine: number }
      expect(entry.originalSource).toContain(source)
      const content = map.payload.sourcesContent![map.payload.sources.indexOf(entry.originalSource)]!
      expect(content.split('\n')[entry.originalLine]).toContain(needle)
    }
  })

  it('the checker accepts plain ES5 (it is not rejecting everything)', () => {
    expect(() => assertES5('var o = { a: 1 }; function f(x) { return [x].concat(o.a) }')).not.toThrow()
  })
})

describe('script-tag bundles run without ES2015 globals (IE10-class sandbox)', () => {
  beforeEach(() => {
    FakeXMLHttpRequest.instances.length = 0
  })

  it('the sandbox really lacks the modern globals', () => {
    const sandbox = es5Sandbox()
    for (const name of modernGlobals) expect(sandbox.run(`typeof this[${JSON.stringify(name)}]`), name).toBe('undefined')
    expect(sandbox.run('typeof Object.assign + typeof [].includes')).toBe('undefinedundefined')
    expect(() => sandbox.run('new Promise(function () {})')).toThrow(/Promise is not defined/)
  })

  it('the polyfill bundle installs window.EventSource and exposes it as SSEKitPolyfill.EventSource', () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run(polyfill(), 'ssekit-polyfill.min.js')
    expect(sandbox.run('typeof window.EventSource')).toBe('function')
    expect(sandbox.run('window.EventSource === SSEKitPolyfill.EventSource')).toBe(true)
  })

  it('the polyfill bundle leaves an existing window.EventSource alone', () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run('function NativeEventSource() {} window.EventSource = NativeEventSource')
    sandbox.run(polyfill(), 'ssekit-polyfill.min.js')
    expect(sandbox.run('window.EventSource === NativeEventSource')).toBe(true)
    expect(sandbox.run('typeof SSEKitPolyfill.EventSource')).toBe('function')
  })

  it('the polyfill bundle streams events over XMLHttpRequest and closes, with no ES2015 global', async () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run(polyfill(), 'ssekit-polyfill.min.js')
    sandbox.run(`
      var log = [];
      var source = new EventSource('http://127.0.0.1:1/sse');
      source.onopen = function () { log.push('open') };
      source.onmessage = function (e) { log.push('message:' + e.data + ':' + e.lastEventId) };
      source.addEventListener('myEvent', function (e) { log.push('myEvent:' + e.data) });
      source.onerror = function () { log.push('error:' + source.readyState) };
    `)
    await until(() => FakeXMLHttpRequest.instances.some((xhr) => xhr.sent), 'the XHR request')
    const xhr = FakeXMLHttpRequest.instances[0]!
    expect(xhr.method).toBe('GET')
    expect(xhr.url).toBe('http://127.0.0.1:1/sse')
    expect(xhr.requestHeaders['accept']).toBe('text/event-stream')

    xhr.respond(200, { 'Content-Type': 'text/event-stream; charset=utf-8' })
    xhr.receive('id: 1\ndata: hello\n\nevent: myEvent\nda')
    xhr.receive('ta: custom\n\n')
    await until(() => (sandbox.run('log.length') as number) >= 3, 'three entries in the log')
    expect(sandbox.run('log.join("|")')).toBe('open|message:hello:1|myEvent:custom')
    expect(sandbox.run('source.readyState')).toBe(1)

    sandbox.run('source.close()')
    expect(xhr.aborted).toBe(true)
    expect(sandbox.run('source.readyState')).toBe(2)
    xhr.receive('data: after close\n\n')
    expect(sandbox.run('log.join("|")')).toBe('open|message:hello:1|myEvent:custom')
  })

  it('the client bundle runs and defines SSEKit, with no ES2015 global', () => {
    const sandbox = es5Sandbox({ XMLHttpRequest: FakeXMLHttpRequest })
    sandbox.run(client(), 'ssekit.min.js')
    expect(sandbox.run('typeof SSEKit')).toBe('object')
    expect(sandbox.run('typeof SSEKit.connect')).toBe('function')
  })
})
