import { createContext, runInContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { bundles, es5Sandbox, readBundle } from './es5.ts'
import { FakeXMLHttpRequest } from './fake-xhr.ts'

// The script-tag bundles' classes, as SWC lowers them with the build's lean helpers
// (build/es5-helpers.ts): subclasses of `Error` and of the EventSource's base class, with
// `Reflect.construct` (a modern engine) and without it (IE-class), must behave as classes do.

/** Runs both bundles in a `node:vm` context; `modern` keeps the engine's ES2015 globals (`Reflect` among them). */
function load(modern: boolean): (code: string) => unknown {
  const extra = { XMLHttpRequest: FakeXMLHttpRequest }
  let run: (code: string) => unknown
  if (modern) {
    const context = createContext({ ...extra, setTimeout, clearTimeout })
    runInContext('this.window = this; this.self = this', context)
    run = (code) => runInContext(code, context)
  } else run = es5Sandbox(extra).run
  run(readBundle(bundles.polyfill))
  run(readBundle(bundles.client))
  return run
}

describe.each([
  ['without Reflect (IE10-class sandbox)', false],
  ['with Reflect.construct (a modern engine)', true],
])('script-tag bundles %s', (_, modern) => {
  it('the engine is what the row says', () => {
    expect(load(modern)('typeof Reflect')).toBe(modern ? 'object' : 'undefined')
  })

  it('EventSourceError is an Error of its own class, with its fields', () => {
    const run = load(modern)
    run("var error = new SSEKitPolyfill.EventSourceError('http-status', 'went wrong', 'http://x.test/', { status: 503, body: 'busy' }, 'why')")
    expect(run('error instanceof SSEKitPolyfill.EventSourceError && error instanceof Error')).toBe(true)
    expect(run('[error.name, error.message, error.code, error.url, error.status, error.body, error.cause, String(error)]')).toEqual([
      'EventSourceError', 'went wrong', 'http-status', 'http://x.test/', 503, 'busy', 'why', 'EventSourceError: went wrong',
    ])
    expect(run('Object.prototype.toString.call(error) + " " + SSEKitPolyfill.isEventSourceError(error)')).toBe('[object Error] true')
  })

  it("the client's errors are Errors two subclasses down (DecodeError < ClientError < Error)", () => {
    const run = load(modern)
    run("var error = new SSEKit.DecodeError('decode', 'tick', { data: '{' }, undefined, new Error('bad JSON'))")
    expect(run('error instanceof SSEKit.DecodeError && error instanceof SSEKit.ClientError && error instanceof Error')).toBe(true)
    expect(run('[error.name, error.code, error.type, error.message, error.cause.message, SSEKit.isClientError(error)]')).toEqual([
      'DecodeError', 'decode', 'tick', 'ssekit: the "tick" event could not be decoded: bad JSON', 'bad JSON', true,
    ])
  })

  it('EventSource is an instance of its class and of its base, and cannot be called without new', () => {
    const run = load(modern)
    run("var source = new SSEKitPolyfill.EventSource('http://127.0.0.1:1/sse'); source.close()")
    expect(run('source instanceof SSEKitPolyfill.EventSource && typeof source.addEventListener')).toBe('function')
    expect(run('[source.readyState, source.url]')).toEqual([2, 'http://127.0.0.1:1/sse'])
    expect(() => run("SSEKitPolyfill.EventSource('http://127.0.0.1:1/sse')")).toThrow(/class as a function/)
  })
})
