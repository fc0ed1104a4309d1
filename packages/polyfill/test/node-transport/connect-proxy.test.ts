import { Agent, createServer as createHttpServer, request as httpRequest, type ClientRequestArgs, type IncomingMessage, type Server } from 'node:http'
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https'
import { connect as netConnect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { createNodeTransport } from '@ssekit/polyfill/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { a, fetchWith, listen, shut, tls, useServers } from './helpers.ts'

useServers()

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
