import { createServer as createHttpsServer, Agent as HttpsAgent } from 'node:https'
import type { IncomingMessage, Server } from 'node:http'
import { createNodeTransport, nodeTransport } from '@ssekit/polyfill/node'
import { EventSource, isEventSourceError, type EventSourceErrorEvent } from '@ssekit/polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { a, fetchWith, listen, shut, tls, useServers } from './helpers.ts'

useServers()

describe('node transport: https', () => {
  let secure: Server
  let secureOrigin: string
  const seen: IncomingMessage[] = []
  beforeAll(async () => {
    secure = createHttpsServer(tls, (req, res) => {
      seen.push(req)
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(`id: 9\ndata: secure ${req.url}\n\n`)
    })
    secureOrigin = await listen(secure, 'https')
  })
  afterAll(() => shut(secure))

  it('streams over TLS from a server whose CA an injected https.Agent trusts', async () => {
    const agent = new HttpsAgent({ ca: tls.cert, keepAlive: false })
    const outcome = await fetchWith(createNodeTransport({ agent }), `${secureOrigin}/plain`)
    agent.destroy()
    expect(outcome.error).toBeUndefined()
    expect(outcome.end).toBe('eof')
    expect(outcome.response).toMatchObject({ status: 200, url: `${secureOrigin}/plain` })
    expect(outcome.text).toBe('id: 9\ndata: secure /plain\n\n')
    expect(outcome.late).toBe(0)
  })

  it('follows an http → https redirect to another origin, credentials dropped, each hop on its own agent', async () => {
    const agent = new HttpsAgent({ ca: tls.cert, keepAlive: false })
    const picked: string[] = []
    const transport = createNodeTransport({
      agent: (url) => {
        picked.push(url.protocol)
        return url.protocol === 'https:' ? agent : undefined
      },
    })
    a.route('/to-https', { status: 302, redirect: `${secureOrigin}/landed` })
    const outcome = await fetchWith(transport, a.url('/to-https'), { Accept: 'text/event-stream', Authorization: 'Bearer secret', Cookie: 'c=1', 'X-Other': 'kept' })
    agent.destroy()
    expect(outcome.error).toBeUndefined()
    expect(outcome.response!.url).toBe(`${secureOrigin}/landed`)
    expect(outcome.text).toBe('id: 9\ndata: secure /landed\n\n')
    expect(picked).toEqual(['http:', 'https:'])
    expect(a.requests('/to-https')[0]!.headers).toMatchObject({ authorization: 'Bearer secret', cookie: 'c=1' })
    const landed = seen.find((req) => req.url === '/landed')!
    expect(landed.headers).not.toHaveProperty('authorization')
    expect(landed.headers).not.toHaveProperty('cookie')
    expect(landed.headers).toMatchObject({ 'x-other': 'kept', accept: 'text/event-stream' })
  })

  it('an untrusted certificate (no agent that trusts it) is a network error, never a crash', async () => {
    const outcome = await fetchWith(nodeTransport, `${secureOrigin}/untrusted`)
    expect(outcome.response).toBeUndefined()
    expect((outcome.error as NodeJS.ErrnoException).code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/)
    expect(outcome.late).toBe(0)
    // Through the EventSource: an `error` event with the `network` code, and the source reconnects.
    const source = new EventSource(`${secureOrigin}/untrusted-es`, { transport: nodeTransport })
    const event = await new Promise<EventSourceErrorEvent>((resolve) => source.addEventListener('error', resolve))
    const { readyState } = source
    source.close()
    expect(isEventSourceError(event.error) && event.error.code).toBe('network')
    expect(readyState).toBe(source.CONNECTING)
    expect(seen.some((req) => req.url!.startsWith('/untrusted'))).toBe(false)
  })
})
