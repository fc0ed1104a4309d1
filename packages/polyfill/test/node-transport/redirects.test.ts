import { nodeTransport } from '@ssekit/polyfill/node'
import { describe, expect, it } from 'vitest'
import { a, b, fetchWith, useServers } from './helpers.ts'

useServers()

describe('node transport: redirects with fetch rules', () => {
  it('follows a same-origin 307 and reports the final URL, credentials kept', async () => {
    a.route('/r307', { status: 307, redirect: '/r307-target' })
    a.route('/r307-target', { body: ['data: moved\n\n'] })
    const outcome = await fetchWith(nodeTransport, a.url('/r307'), { Accept: 'text/event-stream', Authorization: 'Bearer secret', Cookie: 'c=1' })
    expect(outcome.response!.url).toBe(a.url('/r307-target'))
    expect(outcome.text).toBe('data: moved\n\n')
    expect(a.requests('/r307-target')[0]!.headers).toMatchObject({ authorization: 'Bearer secret', cookie: 'c=1' })
  })

  it('drops Authorization, Cookie and Proxy-Authorization on a cross-origin redirect, for the rest of the chain', async () => {
    a.route('/cross', { status: 302, redirect: b.url('/hop') })
    b.route('/hop', { status: 301, redirect: a.url('/back') })
    a.route('/back', { body: ['data: back\n\n'] })
    const outcome = await fetchWith(nodeTransport, a.url('/cross'), {
      Accept: 'text/event-stream',
      authorization: 'Bearer secret',
      COOKIE: 'c=1',
      'Proxy-Authorization': 'Basic x',
      'X-Other': 'kept',
    })
    expect(outcome.response!.url).toBe(a.url('/back'))
    expect(a.requests('/cross')[0]!.headers).toHaveProperty('authorization', 'Bearer secret')
    for (const request of [b.requests('/hop')[0]!, a.requests('/back')[0]!]) {
      expect(request.headers).not.toHaveProperty('authorization')
      expect(request.headers).not.toHaveProperty('cookie')
      expect(request.headers).not.toHaveProperty('proxy-authorization')
      expect(request.headers).toMatchObject({ 'x-other': 'kept', accept: 'text/event-stream' })
    }
  })

  it('follows a 303 with a GET, and hands over a redirect status without Location as the response', async () => {
    a.route('/r303', { status: 303, redirect: '/r303-target?q=1' })
    a.route('/r303-target', { body: ['data: seen\n\n'] })
    const outcome = await fetchWith(nodeTransport, a.url('/r303'))
    expect(outcome.response!.url).toBe(a.url('/r303-target?q=1'))
    expect(a.requests('/r303-target')[0]!.method).toBe('GET')
    a.route('/nolocation', { status: 302, body: [] })
    expect((await fetchWith(nodeTransport, a.url('/nolocation'))).response!.status).toBe(302)
  })

  it('allows 20 redirects; a 21st, or a redirect to another scheme, is a network error', async () => {
    a.route('/loop', (request) => ({ status: 302, redirect: `/loop?n=${Number(request.url.searchParams.get('n') ?? 0) + 1}` }))
    a.reset()
    const loop = await fetchWith(nodeTransport, a.url('/loop'))
    expect(loop.response).toBeUndefined()
    expect(String(loop.error)).toMatch(/more than 20 redirects/)
    expect(a.requests('/loop')).toHaveLength(21)
    a.route('/twenty', (request) => {
      const n = Number(request.url.searchParams.get('n') ?? 0)
      return n < 20 ? { status: 308, redirect: `/twenty?n=${n + 1}` } : { body: ['data: 20\n\n'] }
    })
    expect((await fetchWith(nodeTransport, a.url('/twenty'))).response!.url).toBe(a.url('/twenty?n=20'))
    a.route('/scheme', { status: 302, redirect: 'ftp://127.0.0.1/x' })
    expect(String((await fetchWith(nodeTransport, a.url('/scheme'))).error)).toMatch(/ftp:/)
  })

  it('reads a Location header as UTF-8, as fetch does (Node hands header values over one byte per character)', async () => {
    a.route('/utf8-location', (_request, res) => void res.writeHead(302, { location: Buffer.from('/caf\u00e9?q=\u20ac').toString('latin1') }).end())
    a.route('/caf%C3%A9', { body: ['data: found\n\n'] })
    const outcome = await fetchWith(nodeTransport, a.url('/utf8-location'))
    expect(outcome.response!.url).toBe(a.url('/caf%C3%A9?q=%E2%82%AC'))
    expect(outcome.text).toBe('data: found\n\n')
  })
})
