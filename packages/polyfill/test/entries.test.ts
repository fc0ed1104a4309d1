import { afterEach, expect, it, vi } from 'vitest'

// The main entry is modern-only; the XHR transport and the IE stand-ins come with the legacy entry.
// Each test loads the entries afresh: the legacy entry registers its transport on the shared module.

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
})

it("the main entry refuses transport: 'xhr' with a TypeError that names the legacy entry", async () => {
  const { EventSource } = await import('@ssekit/polyfill')
  expect(() => new EventSource('http://127.0.0.1:9/s', { transport: 'xhr' })).toThrow(TypeError)
  expect(() => new EventSource('http://127.0.0.1:9/s', { transport: 'xhr' })).toThrow(/@ssekit\/polyfill\/legacy/)
})

it('the main entry, where fetch cannot stream, throws a TypeError instead of failing every attempt', async () => {
  vi.stubGlobal('ReadableStream', undefined)
  const { EventSource } = await import('@ssekit/polyfill')
  expect(() => new EventSource('http://127.0.0.1:9/s')).toThrow(/fetch cannot stream a response here.*legacy/)
})

it('the legacy entry picks XMLHttpRequest where fetch cannot stream, and for transport: xhr', async () => {
  const opened: string[] = []
  class RecordingXhr {
    open(method: string, url: string) {
      opened.push(`${method} ${url}`)
    }
    setRequestHeader() {}
    send() {}
    abort() {}
  }
  vi.stubGlobal('XMLHttpRequest', RecordingXhr)
  const { EventSource } = await import('@ssekit/polyfill/legacy')
  new EventSource('http://127.0.0.1:9/forced', { transport: 'xhr' }).close()
  vi.stubGlobal('ReadableStream', undefined)
  new EventSource('http://127.0.0.1:9/auto').close()
  expect(opened).toEqual(['GET http://127.0.0.1:9/forced', 'GET http://127.0.0.1:9/auto'])
})
