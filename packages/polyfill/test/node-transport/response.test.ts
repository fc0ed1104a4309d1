import { nodeTransport } from '@ssekit/polyfill/node'
import { describe, expect, it } from 'vitest'
import { a, fetchWith, useServers } from './helpers.ts'

useServers()

describe('node transport: the response', () => {
  it('sends a GET with the given headers, fetch-like defaults, and streams UTF-8 text to eof', async () => {
    a.route('/plain', { body: ['\uFEFF\uFEFFdata: a\n\n', new Uint8Array([0xe2, 0x82]), new Uint8Array([0xac, 0x0a, 0x0a])] })
    const outcome = await fetchWith(nodeTransport, a.url('/plain#frag'), { Accept: 'text/event-stream', 'Last-Event-ID': '7' })
    expect(outcome.error).toBeUndefined()
    expect(outcome.end).toBe('eof')
    expect(outcome.response).toMatchObject({ status: 200, statusText: 'OK', contentType: 'text/event-stream', url: a.url('/plain') })
    expect(outcome.response!.headers.get('Content-Type')).toBe('text/event-stream')
    // One BOM dropped, the second kept for the parser; the euro sign split across writes whole.
    expect(outcome.text).toBe('\uFEFFdata: a\n\n€\n\n')
    const [request] = a.requests('/plain')
    expect(request!.method).toBe('GET')
    expect(request!.headers).toMatchObject({ accept: 'text/event-stream', 'last-event-id': '7', 'accept-encoding': 'gzip, deflate', 'cache-control': 'no-cache' })
  })

  it('keeps a header the caller gave over its own default (Accept-Encoding: identity)', async () => {
    a.route('/identity', { body: ['data: x\n\n'] })
    await fetchWith(nodeTransport, a.url('/identity'), { Accept: 'text/event-stream', 'accept-encoding': 'identity' })
    expect(a.requests('/identity')[0]!.headers['accept-encoding']).toBe('identity')
  })

  it('reports a body that breaks off as an error, and a refused connection as an error', async () => {
    a.route('/broken', { headers: { 'content-length': '1000' }, body: ['data: a\n\n', { wait: 10 }, { destroy: true }] })
    const broken = await fetchWith(nodeTransport, a.url('/broken'))
    expect(broken.text).toBe('data: a\n\n')
    expect(broken.end).toBeUndefined()
    expect(broken.error).toBeInstanceOf(Error)
    const refused = await fetchWith(nodeTransport, 'http://127.0.0.1:1/nothing')
    expect((refused.error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
    const dns = await fetchWith(nodeTransport, 'http://no-such-host.invalid/')
    expect(dns.error).toBeInstanceOf(Error)
    for (const outcome of [broken, refused, dns]) expect(outcome.late).toBe(0)
  })
})
