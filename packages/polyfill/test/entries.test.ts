import { afterEach, expect, it, vi } from 'vitest'

// The main entry is modern-only; the XHR transport and the IE stand-ins come with the legacy entry.
// Each test loads the entries afresh: the legacy entry registers its transport on the shared module.

afterEach(() => {
  vi.unstubAllGlobals()
  vi.resetModules()
})

it('the main entry has no XHR transport: a transport that is no function is a TypeError', async () => {
  const { EventSource } = await import('@ssekit/polyfill')
  expect(() => new EventSource('http://127.0.0.1:9/s', { transport: 'xhr' as never })).toThrow(/option `transport` must be a transport function, got "xhr"/)
})

it('the main entry, where fetch cannot stream, fails each attempt with an error that names the legacy entry', async () => {
  vi.stubGlobal('ReadableStream', undefined)
  const { EventSource } = await import('@ssekit/polyfill')
  const source = new EventSource('http://127.0.0.1:9/s')
  const message = await new Promise<string>((resolve) => source.addEventListener('error', (event) => resolve(event.error.message)))
  source.close()
  expect(message).toMatch(/no streaming fetch: use @ssekit\/polyfill\/legacy/)
})

it('the legacy entry picks XMLHttpRequest where fetch cannot stream, and for transport: xhrTransport', async () => {
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
  const { EventSource, xhrTransport } = await import('@ssekit/polyfill/legacy')
  new EventSource('http://127.0.0.1:9/forced', { transport: xhrTransport }).close()
  vi.stubGlobal('ReadableStream', undefined)
  new EventSource('http://127.0.0.1:9/auto').close()
  expect(opened).toEqual(['GET http://127.0.0.1:9/forced', 'GET http://127.0.0.1:9/auto'])
})
