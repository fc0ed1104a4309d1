import type { ServerResponse } from 'node:http'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { JSDOM } from 'jsdom'
import { describe, expect, it, vi } from 'vitest'
import { endsAtEventBoundary } from '../src/event-boundary.ts'
import { createXhrTransport } from '../src/transport/xhr.ts'
import type { TransportHandlers, TransportRequest, TransportResponse } from '../src/transport/types.ts'
import { sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'
import { serverAndDom } from './helpers.ts'

// The transport runs on jsdom's XMLHttpRequest, which streams: it fires `readystatechange` and
// `progress` per received chunk with a growing `responseText` while the server holds the response
// open, honours `overrideMimeType`, follows redirects with `responseURL`, and applies CORS. The
// transport reads `XMLHttpRequest` as a free global at call time, so each test stubs it on globalThis.

describe('endsAtEventBoundary', () => {
  it.each([
    ['\n\n', true],
    ['\r\n\r\n', true],
    ['\n\r\n', true],
    ['\r\r\n', true],
    ['\r\n\n', true],
    ['data: x\n\n', true],
    ['data: x\r\r\n', true],
    ['\r\n', false],
    ['\r\r', false],
    ['\n\r', false],
    ['data: x\n', false],
    ['data: x\r\n', false],
    ['x\n', false],
    ['\n', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(endsAtEventBoundary(text)).toBe(expected)
  })
})

type Call =
  | { kind: 'response'; response: TransportResponse }
  | { kind: 'text'; chunk: string }
  | { kind: 'end'; reason: 'eof' | 'recycle' }
  | { kind: 'error'; cause: unknown }

/** Runs the transport and records every call it makes; `on` lets a test act inside a handler. */
function run(url: string, request: Partial<TransportRequest> & { recycleAfter?: number } = {}, on: Partial<TransportHandlers> = {}) {
  const calls: Call[] = []
  let settle!: (call: Call) => void
  const settled = new Promise<Call>((resolve) => (settle = resolve))
  const { recycleAfter = 1e9, ...given } = request
  const abort = createXhrTransport({ recycleAfter })(
    { url, method: 'GET', headers: { Accept: 'text/event-stream' }, body: undefined, withCredentials: false, attempt: 0, lastEventId: '', ...given },
    {
      active: () => true,
      response(response) {
        calls.push({ kind: 'response', response })
        on.response?.(response)
      },
      text(chunk) {
        calls.push({ kind: 'text', chunk })
        on.text?.(chunk)
      },
      end(reason) {
        const call: Call = { kind: 'end', reason }
        calls.push(call)
        settle(call)
      },
      error(cause) {
        const call: Call = { kind: 'error', cause }
        calls.push(call)
        settle(call)
      },
    },
  )
  return {
    calls,
    abort,
    /** Resolves with the `end` or `error` call. */
    settled,
    text: () => calls.map((c) => (c.kind === 'text' ? c.chunk : '')).join(''),
    chunks: () => calls.flatMap((c) => (c.kind === 'text' ? [c.chunk] : [])),
    kinds: () => calls.map((c) => (c.kind === 'end' ? `end:${c.reason}` : c.kind)),
    response: () => {
      const first = calls[0]
      if (first?.kind !== 'response') throw new Error(`first call was ${first?.kind}, not response`)
      return first.response
    },
  }
}

/** Lets the test write the response itself: resolves with each `ServerResponse` to `path`. */
function takeOver(server: ScriptedServer, path: string) {
  const waiting: Array<(res: ServerResponse) => void> = []
  const arrived: ServerResponse[] = []
  server.route(path, (_request, res) => {
    const next = waiting.shift()
    if (next) next(res)
    else arrived.push(res)
  })
  return {
    next: () => new Promise<ServerResponse>((resolve) => {
      const res = arrived.shift()
      if (res) resolve(res)
      else waiting.push(resolve)
    }),
  }
}

function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => (res.destroyed || res.socket?.destroyed ? resolve() : res.on('close', () => resolve())))
}

/** Lets every pending I/O callback and timer of this turn run, so late handler calls would show. */
const settleIo = () => new Promise<void>((resolve) => setTimeout(resolve, 20))

const ctx = serverAndDom()

function useDom(window: JSDOM['window'] = ctx.dom.window) {
  vi.stubGlobal('XMLHttpRequest', window.XMLHttpRequest)
}

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('reports the response head once, before any text', async () => {
    useDom()
    ctx.server.route('/head', {
      headers: { 'content-type': 'text/event-stream; charset=utf-8', 'x-trace': 'abc' },
      body: [sse({ data: 'hi' })],
    })
    const t = run(ctx.server.url('/head'))
    await t.settled
    expect(t.kinds()).toEqual(['response', 'text', 'end:eof'])
    const response = t.response()
    expect(response.status).toBe(200)
    expect(response.statusText).toBe('OK')
    expect(response.contentType).toBe('text/event-stream; charset=utf-8')
    expect(response.url).toBe(ctx.server.url('/head'))
    expect(response.headers.get('X-Trace')).toBe('abc')
    expect(response.headers.get('x-missing')).toBeNull()
  })

  it('reports a non-200 status and its content type as they are', async () => {
    useDom()
    ctx.server.route('/teapot', { status: 418, headers: { 'content-type': 'text/plain' }, body: ['no'] })
    const t = run(ctx.server.url('/teapot'))
    await t.settled
    expect(t.response()).toMatchObject({ status: 418, contentType: 'text/plain' })
  })

  it('reports the final URL after a redirect', async () => {
    useDom()
    ctx.server.route('/moved', { redirect: '/final' })
    ctx.server.route('/final', { body: [sse({ data: 'x' })] })
    const t = run(ctx.server.url('/moved'))
    await t.settled
    expect(t.response().url).toBe(ctx.server.url('/final'))
  })

  it('passes text on in pieces while the response is still open, each piece once', async () => {
    useDom()
    const control = takeOver(ctx.server, '/pieces')
    const t = run(ctx.server.url('/pieces'))
    const res = await control.next()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: one\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\n'))
    expect(t.kinds()).toEqual(['response', 'text'])
    res.write('data: two\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\ndata: two\n\n'))
    expect(t.chunks()).toEqual(['data: one\n\n', 'data: two\n\n'])
    res.end('data: three\n\n')
    expect(await t.settled).toEqual({ kind: 'end', reason: 'eof' })
    expect(t.text()).toBe('data: one\n\ndata: two\n\ndata: three\n\n')
    expect(t.kinds()).toEqual(['response', 'text', 'text', 'text', 'end:eof'])
  })

  it('passes text on as the scripted server writes it, pausing between writes', async () => {
    useDom()
    ctx.server.route('/paced', { body: ['data: a\n\n', { wait: 80 }, 'data: b\n\n', { wait: 80 }, 'data: c\n\n'] })
    const openAtText: number[] = []
    const t = run(ctx.server.url('/paced'), {}, { text: () => openAtText.push(ctx.server.openResponses('/paced')) })
    await t.settled
    expect(openAtText[0]).toBe(1)
    expect(t.text()).toBe('data: a\n\ndata: b\n\ndata: c\n\n')
    expect(t.chunks().length).toBeGreaterThan(1)
  })

  it('decodes a multi-byte UTF-8 character split across writes, never passing a U+FFFD for it', async () => {
    useDom()
    const control = takeOver(ctx.server, '/split')
    const t = run(ctx.server.url('/split'))
    const res = await control.next()
    const bytes = new TextEncoder().encode('€😀')
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write(Buffer.concat([Buffer.from('data: '), bytes.subarray(0, 1)]))
    // The text before the split character arrives; the half character is held back.
    await vi.waitFor(() => expect(t.text()).toBe('data: '))
    res.write(bytes.subarray(1, 5))
    await vi.waitFor(() => expect(t.text()).toBe('data: €'))
    res.write(bytes.subarray(5))
    await vi.waitFor(() => expect(t.text()).toBe('data: €😀'))
    res.end('\n\n')
    await t.settled
    expect(t.text()).toBe('data: €😀\n\n')
    expect(t.text()).not.toContain('\uFFFD')
  })

  it('passes on a U+FFFD the body really ends with', async () => {
    useDom()
    ctx.server.route('/truncated', { body: ['data: x', new Uint8Array([0xe2, 0x82])] })
    const t = run(ctx.server.url('/truncated'))
    await t.settled
    expect(t.text()).toBe('data: x\uFFFD')
    expect(t.kinds().at(-1)).toBe('end:eof')
  })

  it('decodes the body as UTF-8 even when the content type says charset=iso-8859-1', async () => {
    useDom()
    ctx.server.route('/latin1', {
      headers: { 'content-type': 'text/event-stream; charset=iso-8859-1' },
      body: [new TextEncoder().encode('data: é€\n\n')],
    })
    const t = run(ctx.server.url('/latin1'))
    await t.settled
    expect(t.text()).toBe('data: é€\n\n')
  })

  it('sends the request headers it is given', async () => {
    useDom()
    ctx.server.route('/headers', { body: [] })
    const t = run(ctx.server.url('/headers'), {
      headers: { Accept: 'text/event-stream', 'Last-Event-ID': '41', 'X-Token': 't0k' },
    })
    await t.settled
    const [request] = ctx.server.requests('/headers')
    expect(request!.method).toBe('GET')
    expect(request!.headers).toMatchObject({ accept: 'text/event-stream', 'last-event-id': '41', 'x-token': 't0k' })
  })

  it('sends cookies cross-origin only with withCredentials', async () => {
    // A page on http://localhost:PORT asking http://127.0.0.1:PORT is cross-origin; the cookie
    // belongs to 127.0.0.1, so only a credentialed request carries it.
    const page = new JSDOM('', { url: ctx.server.origin.replace('127.0.0.1', 'localhost') + '/' })
    page.cookieJar.setCookieSync('sid=s3cret', ctx.server.origin + '/')
    useDom(page.window)
    ctx.server.route('/cors', {
      headers: {
        'content-type': 'text/event-stream',
        'access-control-allow-origin': page.window.location.origin,
        'access-control-allow-credentials': 'true',
      },
      body: [sse({ data: 'x' })],
    })
    try {
      const withCookies = run(ctx.server.url('/cors'), { withCredentials: true })
      expect((await withCookies.settled).kind).toBe('end')
      const without = run(ctx.server.url('/cors'), { withCredentials: false })
      expect((await without.settled).kind).toBe('end')
      const [first, second] = ctx.server.requests('/cors')
      expect(first!.headers.cookie).toBe('sid=s3cret')
      expect(second!.headers.cookie).toBeUndefined()
    } finally {
      page.window.close()
    }
  })

  it('ends with eof exactly once after all the text, and calls nothing after', async () => {
    useDom()
    ctx.server.route('/eof', { body: [sse({ data: 'a', id: '1' }), { wait: 20 }, sse({ data: 'b' })] })
    const t = run(ctx.server.url('/eof'))
    expect(await t.settled).toEqual({ kind: 'end', reason: 'eof' })
    await settleIo()
    expect(t.kinds().filter((k) => k !== 'text')).toEqual(['response', 'end:eof'])
    expect(t.text()).toBe('id: 1\ndata: a\n\ndata: b\n\n')
  })

  it('reports a connection the server destroys mid-body as an error, not an end', async () => {
    useDom()
    ctx.server.route('/reset', { body: ['data: a\n\n', { wait: 30 }, { destroy: true }] })
    const t = run(ctx.server.url('/reset'))
    const last = await t.settled
    expect(last.kind).toBe('error')
    expect((last as { cause: unknown }).cause).toBeInstanceOf(Error)
    expect(String((last as { cause: Error }).cause.message)).toContain(ctx.server.url('/reset'))
    expect(t.text()).toBe('data: a\n\n')
    await settleIo()
    expect(t.kinds()).toEqual(['response', 'text', 'error'])
  })

  it('reports a connection destroyed before any response as an error', async () => {
    useDom()
    ctx.server.route('/hangup', (_request, res) => void res.destroy())
    const t = run(ctx.server.url('/hangup'))
    expect((await t.settled).kind).toBe('error')
    expect(t.kinds()).toEqual(['error'])
  })

  it('reports a refused connection as an error', async () => {
    useDom()
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as AddressInfo
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const t = run(`http://127.0.0.1:${port}/nothing-here`)
    const last = await t.settled
    expect(last.kind).toBe('error')
    expect(t.kinds()).toEqual(['error'])
  })

  it('reports a request that cannot be sent as an error, after returning the abort function', async () => {
    useDom()
    const t = run(ctx.server.url('/never'), { headers: { 'bad header': 'x' } })
    expect(t.calls).toEqual([])
    const last = await t.settled
    expect(last.kind).toBe('error')
    expect(String((last as { cause: Error }).cause.message)).toContain('could not be sent')
    expect(ctx.server.requests('/never')).toEqual([])
  })

  it('abort() right after a request that cannot be sent reports nothing', async () => {
    useDom()
    const t = run(ctx.server.url('/never'), { headers: { 'bad header': 'x' } })
    t.abort()
    await settleIo()
    expect(t.calls).toEqual([])
  })

  it('abort() stops everything: the server sees the connection close and no handler runs again', async () => {
    useDom()
    ctx.server.route('/abort', { body: ['data: a\n\n'], hold: true })
    const t = run(ctx.server.url('/abort'))
    await vi.waitFor(() => expect(t.text()).toBe('data: a\n\n'))
    expect(ctx.server.openResponses('/abort')).toBe(1)
    t.abort()
    await ctx.server.waitForClosed('/abort')
    t.abort()
    await settleIo()
    // jsdom fires readystatechange and abort synchronously inside xhr.abort(); none may get through.
    expect(t.kinds()).toEqual(['response', 'text'])
  })

  it('abort() from inside text() stops at once', async () => {
    useDom()
    const control = takeOver(ctx.server, '/abort-in-text')
    let abort = () => {}
    const t = run(ctx.server.url('/abort-in-text'), {}, { text: () => abort() })
    abort = t.abort
    const res = await control.next()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: a\n\n')
    await closed(res)
    expect(res.writableEnded).toBe(false)
    await settleIo()
    expect(t.kinds()).toEqual(['response', 'text'])
  })

  it('abort() from inside text() also cancels a recycle that was due', async () => {
    useDom()
    ctx.server.route('/abort-before-recycle', { body: ['data: a\n\n'], hold: true })
    let abort = () => {}
    const t = run(ctx.server.url('/abort-before-recycle'), { recycleAfter: 1 }, { text: () => abort() })
    abort = t.abort
    await vi.waitFor(() => expect(t.kinds()).toEqual(['response', 'text']))
    await ctx.server.waitForClosed('/abort-before-recycle')
    await settleIo()
    expect(t.kinds()).toEqual(['response', 'text'])
  })

  it('abort() from inside response() passes no text on', async () => {
    useDom()
    ctx.server.route('/abort-in-response', { status: 204, headers: { 'content-type': null } })
    let abort = () => {}
    const t = run(ctx.server.url('/abort-in-response'), {}, { response: () => abort() })
    abort = t.abort
    await vi.waitFor(() => expect(t.kinds()).toEqual(['response']))
    expect(t.response().status).toBe(204)
    await settleIo()
    expect(t.kinds()).toEqual(['response'])
  })

  it('abort() before the response arrives closes the request and reports nothing', async () => {
    useDom()
    const control = takeOver(ctx.server, '/abort-early')
    const t = run(ctx.server.url('/abort-early'))
    const res = await control.next()
    t.abort()
    await closed(res)
    await settleIo()
    expect(t.calls).toEqual([])
  })

  it('recycles only past recycleAfter, and only at an event boundary', async () => {
    useDom()
    const control = takeOver(ctx.server, '/recycle')
    const t = run(ctx.server.url('/recycle'), { recycleAfter: 12 })
    const res = await control.next()
    const gone = closed(res)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-kept': 'yes' })
    let sent = ''
    const send = async (piece: string) => {
      sent += piece
      res.write(piece)
      await vi.waitFor(() => expect(t.text()).toBe(sent))
    }
    await send('data: a\n\n') // a boundary, but only 9 characters
    await send('data: bb\n') // 18 characters, mid-event
    await send('data: c\r') // a lone CR may be the first half of CR LF
    expect(t.kinds()).not.toContain('end:recycle')
    await send('\n\n') // CR LF then LF: a blank line
    expect(await t.settled).toEqual({ kind: 'end', reason: 'recycle' })
    await gone
    expect(res.writableEnded).toBe(false)
    await settleIo()
    expect(t.kinds().filter((k) => k !== 'text')).toEqual(['response', 'end:recycle'])
    // The head stays readable after the request is gone (an error event may show it later).
    expect(t.response().headers.get('X-Kept')).toBe('yes')
    expect(t.response().contentType).toBe('text/event-stream')
  })

  it('recycles after a chunk that crosses recycleAfter and ends at a boundary', async () => {
    useDom()
    ctx.server.route('/recycle-scripted', {
      body: [sse({ data: 'x'.repeat(30), id: '1' }), { wait: 30 }, sse({ data: 'never seen', id: '2' })],
      hold: true,
    })
    const t = run(ctx.server.url('/recycle-scripted'), { recycleAfter: 16 })
    expect(await t.settled).toEqual({ kind: 'end', reason: 'recycle' })
    expect(t.text()).toBe(sse({ data: 'x'.repeat(30), id: '1' }))
    await ctx.server.waitForClosed('/recycle-scripted')
    expect(t.text()).not.toContain('never seen')
  })
})

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

/**
 * jsdom's streaming XHR with old-IE manners grafted on: `status`, `statusText` and `responseText`
 * throw before readyState 3, no `progress` events, no `responseURL`, and 204 reported as 1223.
 */
function ieLikeXhr(window: JSDOM['window'] = ctx.dom.window) {
  const Base = window.XMLHttpRequest
  const notYet = (xhr: XMLHttpRequest) => {
    if (xhr.readyState < 3) throw new Error('Unspecified error (IE: not available in this readyState)')
  }
  class IeLikeXhr extends Base {
    override get status(): number {
      notYet(this as unknown as XMLHttpRequest)
      const status = super.status
      return status === 204 ? 1223 : status
    }
    override get statusText(): string {
      notYet(this as unknown as XMLHttpRequest)
      return super.statusText
    }
    override get responseText(): string {
      notYet(this as unknown as XMLHttpRequest)
      return super.responseText
    }
    override get responseURL(): string {
      return undefined as unknown as string
    }
    override get onprogress(): XMLHttpRequest['onprogress'] {
      return null
    }
    override set onprogress(_handler: XMLHttpRequest['onprogress']) {
      // IE9-class engines never fire `progress`.
    }
  }
  vi.stubGlobal('XMLHttpRequest', IeLikeXhr)
}

describe('xhrTransport on an XMLHttpRequest with old-IE quirks', () => {
  it('waits for a readable status, streams on readystatechange alone, and falls back to the request URL', async () => {
    ieLikeXhr()
    ctx.server.route('/ie-moved', { redirect: '/ie' })
    const control = takeOver(ctx.server, '/ie')
    const t = run(ctx.server.url('/ie-moved'))
    const res = await control.next()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: one\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\n'))
    expect(t.response()).toMatchObject({ status: 200, statusText: 'OK', url: ctx.server.url('/ie-moved') })
    res.write('data: two\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\ndata: two\n\n'))
    res.end()
    expect(await t.settled).toEqual({ kind: 'end', reason: 'eof' })
    expect(t.kinds().filter((k) => k !== 'text')).toEqual(['response', 'end:eof'])
  })

  it('passes no text on when abort() is called inside a response() reported together with text', async () => {
    ieLikeXhr()
    ctx.server.route('/ie-abort-in-response', { body: ['data: a\n\n'], hold: true })
    let abort = () => {}
    const t = run(ctx.server.url('/ie-abort-in-response'), {}, { response: () => abort() })
    abort = t.abort
    await vi.waitFor(() => expect(t.kinds()).toEqual(['response']))
    await ctx.server.waitForClosed('/ie-abort-in-response')
    await settleIo()
    expect(t.kinds()).toEqual(['response'])
  })

  it('reports IE\'s 1223 as 204 No Content', async () => {
    ieLikeXhr()
    ctx.server.route('/ie-204', { status: 204, headers: { 'content-type': null } })
    const t = run(ctx.server.url('/ie-204'))
    await t.settled
    expect(t.response()).toMatchObject({ status: 204, statusText: 'No Content', contentType: '' })
  })
})
