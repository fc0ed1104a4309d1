import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, createServer as createHttpServer, request as httpRequest, type ClientRequestArgs, type IncomingMessage, type Server } from 'node:http'
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https'
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib'
import { createNodeTransport, nodeTransport } from '@ssekit/polyfill/node'
import { createFetchTransport, EventSource, fetchTransport, isEventSourceError, type EventSourceErrorEvent, type Transport, type TransportResponse } from '@ssekit/polyfill'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type ScriptedServer } from '../../../test/server/scripted-server.ts'
import { expectExitAfterClose } from '../../../test/support/exits-after-close.ts'

let a: ScriptedServer
let b: ScriptedServer
beforeAll(async () => {
  a = await startServer()
  b = await startServer()
})
afterAll(async () => {
  await Promise.all([a.close(), b.close()])
})

interface Outcome {
  response: TransportResponse | undefined
  text: string
  chunks: number
  end: 'eof' | 'recycle' | undefined
  error: unknown
  /** Handler calls after the first end or error: must stay 0. */
  late: number
}

/** Runs one transport request to its end or error. */
function fetchWith(transport: Transport, url: string, headers: Record<string, string> = { Accept: 'text/event-stream' }): Promise<Outcome> {
  return new Promise((resolve) => {
    const outcome: Outcome = { response: undefined, text: '', chunks: 0, end: undefined, error: undefined, late: 0 }
    let done = false
    const finish = () => {
      if (done) outcome.late++
      done = true
      resolve(outcome)
    }
    transport(
      { url, method: 'GET', headers, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
      {
        active: () => true,
        response: (response) => void (outcome.response = response),
        text: (chunk) => {
          if (done) outcome.late++
          outcome.text += chunk
          outcome.chunks++
        },
        end: (reason) => {
          outcome.end = reason
          finish()
        },
        error: (cause) => {
          outcome.error = cause
          finish()
        },
      },
    )
  })
}

/** Cuts `bytes` into pieces of `size` bytes, each written on its own with a pause between. */
function pieces(bytes: Uint8Array, size: number): Array<Uint8Array | { wait: number }> {
  const out: Array<Uint8Array | { wait: number }> = []
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size), { wait: 2 })
  return out
}

const body = 'id: 1\ndata: héllo wörld €\n\n'.repeat(40) + 'data: 🎉 END\n\n'

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

describe('node transport: Content-Encoding', () => {
  const cases = {
    gzip: gzipSync,
    br: brotliCompressSync,
    deflate: deflateSync,
    'deflate (raw, as some servers send it)': deflateRawSync,
  }
  for (const [name, compress] of Object.entries(cases)) {
    it(`decodes a ${name} body written in 7-byte pieces`, async () => {
      const path = `/enc-${name.split(' ')[0]}-${compress.name}`
      a.route(path, { headers: { 'content-encoding': name.split(' ')[0]! }, body: pieces(compress(Buffer.from(body)), 7) })
      const outcome = await fetchWith(nodeTransport, a.url(path))
      expect(outcome.error).toBeUndefined()
      expect(outcome.text).toBe(body)
      expect(outcome.chunks).toBeGreaterThan(1)
    })
  }

  it('undoes stacked codings last-first ("deflate, gzip") and hands over an unknown coding as it came', async () => {
    a.route('/stacked', { headers: { 'content-encoding': 'deflate, gzip' }, body: pieces(gzipSync(deflateSync(Buffer.from(body))), 50) })
    expect((await fetchWith(nodeTransport, a.url('/stacked'))).text).toBe(body)
    a.route('/unknown', { headers: { 'content-encoding': 'x-custom' }, body: ['data: raw\n\n'] })
    expect((await fetchWith(nodeTransport, a.url('/unknown'))).text).toBe('data: raw\n\n')
  })

  it('passes on the text of compressed bytes that arrived just before the body broke off, then reports the error', async () => {
    // The decompressors work off the main thread: the break must not overtake the text they still hold.
    // A raw server writes the head and one chunk, then closes the connection (FIN, or RST) without the
    // chunked body's last chunk, so that the bytes and the break arrive together.
    const event = Buffer.from('data: last words\n\n')
    const cases: Array<[string, (bytes: Buffer) => Buffer, 'end' | 'reset']> = [
      ['gzip', gzipSync, 'end'],
      ['br', brotliCompressSync, 'end'],
      ['deflate', deflateSync, 'end'],
      ['gzip', gzipSync, 'reset'],
    ]
    let current = cases[0]!
    const raw = createNetServer((socket) => {
      socket.once('data', () => {
        const [coding, compress, close] = current
        const body = compress(event)
        const head = `HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-encoding: ${coding}\r\ntransfer-encoding: chunked\r\n\r\n`
        const bytes = Buffer.concat([Buffer.from(`${head}${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')])
        if (close === 'end') socket.end(bytes)
        else socket.write(bytes, () => socket.resetAndDestroy())
      })
    })
    const url = `${await listen(raw, 'http')}/broken`
    try {
      for (current of cases) {
        // Losing the text is a race (about one round in two): several rounds make it show.
        for (let round = 0; round < 8; round++) {
          const outcome = await fetchWith(nodeTransport, url)
          expect(outcome.text, `${current[0]}, ${current[2]}, round ${round}`).toBe('data: last words\n\n')
          expect(outcome.error).toBeInstanceOf(Error)
          expect(outcome.end).toBeUndefined()
          expect(outcome.late).toBe(0)
        }
      }
    } finally {
      await new Promise((resolve) => raw.close(resolve))
    }
  })

  it('delivers each gzip-flushed event as it arrives, before the stream ends', async () => {
    // A server flushing its compressor after each event: the first event must reach us while the response is still open.
    const { createGzip, constants } = await import('node:zlib')
    const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH })
    const parts: Buffer[] = []
    gzip.on('data', (chunk: Buffer) => parts.push(chunk))
    await new Promise<void>((resolve) => gzip.write('data: first\n\n', () => resolve()))
    a.route('/gzip-live', { headers: { 'content-encoding': 'gzip' }, body: [Buffer.concat(parts)], hold: true })
    const first = await new Promise<string>((resolve) => {
      const abort = nodeTransport(
        { url: a.url('/gzip-live'), method: 'GET', headers: {}, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
        { active: () => true, response: () => undefined, text: (text) => (abort(), resolve(text)), end: () => resolve('end'), error: (e) => resolve(String(e)) },
      )
    })
    gzip.close()
    expect(first).toBe('data: first\n\n')
  })
})

describe('node transport: agents and abort', () => {
  it('makes every connection through an injected agent, or the agent a function picks per URL', async () => {
    let created = 0
    class CountingAgent extends Agent {
      override createConnection(...args: Parameters<Agent['createConnection']>): ReturnType<Agent['createConnection']> {
        created++
        return super.createConnection(...args)
      }
    }
    const agent = new CountingAgent({ keepAlive: false })
    a.route('/agent', { status: 302, redirect: b.url('/agent-target') })
    b.route('/agent-target', { body: ['data: via agent\n\n'] })
    const outcome = await fetchWith(createNodeTransport({ agent }), a.url('/agent'))
    expect(outcome.text).toBe('data: via agent\n\n')
    expect(created).toBe(2)
    const seen: string[] = []
    const picked = await fetchWith(
      createNodeTransport({
        agent: (url) => {
          seen.push(url.href)
          return url.port === new URL(b.origin).port ? agent : undefined
        },
      }),
      a.url('/agent'),
    )
    expect(picked.text).toBe('data: via agent\n\n')
    expect(seen).toEqual([a.url('/agent'), b.url('/agent-target')])
    expect(created).toBe(3)
    agent.destroy()
  })

  it('abort() drops the request and the response, and nothing is called after it', async () => {
    a.route('/held', { body: ['data: one\n\n'], hold: true })
    a.reset()
    const calls: string[] = []
    let abort: () => void = () => undefined
    await new Promise<void>((resolve) => {
      abort = nodeTransport(
        { url: a.url('/held'), method: 'GET', headers: {}, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
        {
          active: () => true,
          response: () => calls.push('response'),
          text: () => {
            calls.push('text')
            resolve()
          },
          end: () => calls.push('end'),
          error: () => calls.push('error'),
        },
      )
    })
    abort()
    abort()
    await a.waitForClosed('/held')
    expect(a.requests('/held')[0]!.closedBy).toBe('client')
    // Aborting before the request even started: no request, no call.
    const never = nodeTransport(
      { url: a.url('/held'), method: 'GET', headers: {}, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
      { active: () => true, response: () => calls.push('late'), text: () => calls.push('late'), end: () => calls.push('late'), error: () => calls.push('late') },
    )
    never()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(calls).toEqual(['response', 'text'])
    expect(a.requests('/held')).toHaveLength(1)
  })

  it('an agent function that throws fails the request, on a redirect too, instead of throwing out of a Node callback', async () => {
    const refused = await fetchWith(createNodeTransport({ agent: () => { throw new Error('no agent for this URL') } }), a.url('/never'))
    expect(String(refused.error)).toMatch(/no agent for this URL/)
    a.route('/to-b', { status: 302, redirect: b.url('/b-target') })
    const onlyA = createNodeTransport({
      agent: (url) => {
        if (url.port !== new URL(a.origin).port) throw new Error(`no agent for ${url.host}`)
        return undefined
      },
    })
    const redirected = await fetchWith(onlyA, a.url('/to-b'))
    expect(redirected.response).toBeUndefined()
    expect(String(redirected.error)).toMatch(/no agent for/)
    expect(b.requests('/b-target')).toHaveLength(0)
    for (const outcome of [refused, redirected]) expect(outcome.late).toBe(0)
  })

  it('a header value Node refuses fails asynchronously, as an error', async () => {
    const outcome = await fetchWith(nodeTransport, a.url('/x'), { 'X-Bad': 'a\nb' })
    expect(outcome.error).toBeInstanceOf(TypeError)
  })
})

/** The self-signed certificate of `test/fixtures` (CN and subjectAltName 127.0.0.1, valid until 2036). */
const tls = {
  key: readFileSync(new URL('./fixtures/localhost-key.pem', import.meta.url)),
  cert: readFileSync(new URL('./fixtures/localhost-cert.pem', import.meta.url)),
}

/** Listens on 127.0.0.1 on a free port; resolves with the origin. */
async function listen(server: NetServer, scheme: 'http' | 'https'): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Closes a server and every connection it still holds. */
function shut(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve()
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

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

describe('node transport: through an HTTP CONNECT proxy', () => {
  let proxy: Server
  let proxyPort: number
  let secure: Server
  let secureOrigin: string
  /** The `host:port` of every CONNECT the proxy tunnelled. */
  const tunnels: string[] = []
  const sockets = new Set<Socket>()
  beforeAll(async () => {
    proxy = createHttpServer((_req, res) => res.writeHead(405).end())
    proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      tunnels.push(req.url!)
      const [host, port] = req.url!.split(':')
      const target = netConnect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        if (head.length) target.write(head)
        target.pipe(client)
        client.pipe(target)
      })
      for (const socket of [client, target]) {
        sockets.add(socket)
        socket.on('close', () => sockets.delete(socket))
        socket.on('error', () => (client.destroy(), target.destroy()))
      }
    })
    proxyPort = Number(new URL(await listen(proxy, 'http')).port)
    secure = createHttpsServer(tls, (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(`data: tunnelled ${req.url}\n\n`)
    })
    secureOrigin = await listen(secure, 'https')
  })
  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await Promise.all([shut(proxy), shut(secure)])
  })

  /** Opens a CONNECT tunnel to the request's host and port through the proxy. */
  type Done = (error: Error | null, socket: Duplex) => void
  function tunnel(options: ClientRequestArgs, done: Done): void {
    const connect = httpRequest({ host: '127.0.0.1', port: proxyPort, method: 'CONNECT', path: `${options.host}:${options.port}`, agent: false })
    connect.once('connect', (res, socket) => {
      if (res.statusCode === 200) done(null, socket)
      else (socket.destroy(), done(new Error(`proxy answered ${res.statusCode}`), socket))
    })
    connect.once('error', (error) => done(error, connect.socket!))
    connect.end()
  }

  /** An agent for `http:` URLs whose every connection is a tunnel (Node calls `createConnection` with a callback). */
  class TunnellingAgent extends Agent {
    override createConnection(options: ClientRequestArgs, done?: Done): undefined {
      tunnel(options, done!)
      return undefined
    }
  }
  /** The same for `https:` URLs: TLS inside the tunnel, with the CA the agent was given. */
  class TunnellingHttpsAgent extends HttpsAgent {
    override createConnection(options: ClientRequestArgs, done?: Done): undefined {
      tunnel(options, (error, socket) => {
        if (error) return done!(error, socket)
        const secured = HttpsAgent.prototype.createConnection.call(this, { ...options, socket } as ClientRequestArgs)!
        secured.once('secureConnect', () => done!(null, secured))
        secured.once('error', (cause: Error) => done!(cause, secured))
      })
      return undefined
    }
  }

  it('sends http and https requests, redirects included, through the proxy the agents tunnel to', async () => {
    const plain = new TunnellingAgent({ keepAlive: false })
    const secured = new TunnellingHttpsAgent({ ca: tls.cert, keepAlive: false })
    const transport = createNodeTransport({ agent: (url) => (url.protocol === 'https:' ? secured : plain) })
    a.route('/proxied', { status: 307, redirect: `${secureOrigin}/behind-proxy` })
    a.reset()
    const outcome = await fetchWith(transport, a.url('/proxied'))
    plain.destroy()
    secured.destroy()
    expect(outcome.error).toBeUndefined()
    expect(outcome.response!.url).toBe(`${secureOrigin}/behind-proxy`)
    expect(outcome.text).toBe('data: tunnelled /behind-proxy\n\n')
    expect(tunnels).toEqual([new URL(a.origin).host, new URL(secureOrigin).host])
    expect(a.requests('/proxied')).toHaveLength(1)
  })

  it('a proxy that refuses the tunnel is a network error', async () => {
    const refusing = new (class extends Agent {
      override createConnection(_options: ClientRequestArgs, done?: Done): undefined {
        tunnel({ host: '127.0.0.1', port: 1 }, done!)
        return undefined
      }
    })({ keepAlive: false })
    const outcome = await fetchWith(createNodeTransport({ agent: refusing }), a.url('/never'))
    refusing.destroy()
    expect(outcome.response).toBeUndefined()
    expect(outcome.error).toBeInstanceOf(Error)
    expect(outcome.late).toBe(0)
  })
})

describe('the default transport under Node (index.node.ts, the `node` export condition)', () => {
  /** Which transport made the request: fetch (undici) sends Sec-Fetch-Mode, node:http does not. */
  async function transportOf(EventSourceClass: typeof EventSource, path: string, init?: ConstructorParameters<typeof EventSource>[1]): Promise<string> {
    a.route(path, { body: ['data: x\n\n'], hold: true })
    const source = new EventSourceClass(a.url(path), init)
    await new Promise((resolve, reject) => ((source.onmessage = resolve), (source.onerror = reject)))
    source.close()
    return a.requests(path)[0]!.headers['sec-fetch-mode'] ? 'fetch' : 'node'
  }

  it('is fetch before the Node entry loads; the node transport after; fetchTransport and createFetchTransport still force fetch', async () => {
    expect(await transportOf(EventSource, '/default-before')).toBe('fetch')
    const node = await import('../src/index.node.ts')
    expect(node.EventSource).toBe(EventSource)
    expect(Object.keys(node).sort()).toEqual(Object.keys(await import('../src/index.ts')).sort())
    expect(await transportOf(EventSource, '/default-after')).toBe('node')
    expect(await transportOf(EventSource, '/forced-fetch', { transport: fetchTransport })).toBe('fetch')
    expect(await transportOf(EventSource, '/fetch-option', { transport: createFetchTransport((url, init) => fetch(url, init as RequestInit) as never) })).toBe('fetch')
  })
})

describe('node transport: a Node script exits by itself after close() [child processes]', () => {
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ssekit-node-transport-'))
    const { build } = await import('esbuild')
    await build({
      stdin: {
        contents: `export { EventSource } from './index.ts'\nexport { nodeTransport } from './node.ts'`,
        resolveDir: fileURLToPath(new URL('../src/', import.meta.url)),
        loader: 'ts',
      },
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: join(dir, 'polyfill.mjs'),
      logLevel: 'silent',
    })
    writeFileSync(
      join(dir, 'child.mjs'),
      `const [url, when, module] = process.argv.slice(2)
const { EventSource, nodeTransport } = await import(module)
const source = new EventSource(url, { transport: nodeTransport })
const closeNow = () => { source.close(); console.log('closed') }
if (when === 'connecting') closeNow()
else if (when === 'reconnecting') source.onerror = () => { if (source.readyState === source.CONNECTING) closeNow() }
else source.onopen = closeNow
`,
    )
  })
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const serve: Record<string, () => void> = {
    connecting: () => a.route('/exit', () => new Promise<void>(() => {})),
    open: () => a.route('/exit', { hold: true }),
    // Ended cleanly: the keep-alive socket goes back to the global agent's pool, which must not hold the process.
    reconnecting: () => a.route('/exit', { body: ['retry: 60000\n\n'] }),
  }
  for (const [when, route] of Object.entries(serve)) {
    it(`close() while ${when}`, async () => {
      route()
      await expectExitAfterClose([join(dir, 'child.mjs'), a.url('/exit'), when, pathToFileURL(join(dir, 'polyfill.mjs')).href])
    })
  }
})
