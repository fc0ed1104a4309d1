import type { JSDOM } from 'jsdom'
import { describe, expect, it, vi } from 'vitest'
import { ctx, run, useServerAndDom } from './helpers.ts'

useServerAndDom()

/** Every XMLHttpRequest a test's transport created, with the handlers it had when last looked at. */
function spyOnXhr(window: JSDOM['window'] = ctx.dom.window) {
  const made: XMLHttpRequest[] = []
  class SpyXhr extends window.XMLHttpRequest {
    constructor() {
      super()
      made.push(this as unknown as XMLHttpRequest)
    }
  }
  vi.stubGlobal('XMLHttpRequest', SpyXhr)
  return made
}

const handlerNames = ['onreadystatechange', 'onprogress', 'onload', 'onerror', 'ontimeout', 'onabort'] as const

describe('xhrTransport handler hygiene', () => {
  it.each(['abort', 'end', 'error'] as const)('replaces every XHR handler with a no-op after %s', async (how) => {
    const made = spyOnXhr()
    const path = `/hygiene-${how}`
    if (how === 'error') ctx.server.route(path, { body: ['data: a\n\n', { destroy: true }] })
    else ctx.server.route(path, { body: ['data: a\n\n'], hold: how === 'abort' })
    const t = run(ctx.server.url(path))
    const xhr = made[0]!
    const live = handlerNames.map((name) => xhr[name])
    for (const handler of live) expect(handler).toBeTypeOf('function')
    if (how === 'abort') {
      await vi.waitFor(() => expect(t.text()).toBe('data: a\n\n'))
      t.abort()
    } else {
      expect((await t.settled).kind).toBe(how)
    }
    const after = handlerNames.map((name) => xhr[name])
    for (let i = 0; i < after.length; i++) expect(after[i]).not.toBe(live[i])
    const callsBefore = t.calls.length
    for (const handler of after) (handler as () => void).call(xhr)
    expect(t.calls.length).toBe(callsBefore)
  })
})
