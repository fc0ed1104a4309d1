import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { readFile } from 'node:fs/promises'

/** One thing the server writes: text, raw bytes, a pause, or a decision to hang up. */
export type Step = string | Uint8Array | { wait: number } | { destroy: true }

/** What the server answers on one connection. */
export interface Script {
  /** @default 200 */
  status?: number
  /** @default { 'content-type': 'text/event-stream' } (give `'content-type': null` to send none) */
  headers?: Record<string, string | null>
  /** Written in order; `{ wait }` pauses between writes. */
  body?: Step[]
  /** Keep the response open after the body instead of ending it. @default false */
  hold?: boolean
  /** Answer with a redirect to this path (or absolute URL) instead. */
  redirect?: string
}

/** Anything that answers a request: a fixed script, one script per connection, or a function. */
export type Route =
  | Script
  | Script[]
  | ((request: RecordedRequest, res: ServerResponse, req: IncomingMessage) => Script | void | Promise<Script | void>)

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string
  path: string
  url: URL
  headers: Record<string, string | string[] | undefined>
  /** The request body as UTF-8 text (`''` for none), read before the route answers. */
  body: string
  /** 0 for the first request to this path, 1 for the next, … */
  index: number
  /** `performance.now()` when the request arrived. */
  at: number
  /** `performance.now()` when the response closed (ended, destroyed, or the client went away); unset while open. */
  closedAt?: number
  /**
   * Who closed the response: the server (its script ended or destroyed it) or the client (it went
   * away first). A route function that destroys the socket itself shows as the client.
   */
  closedBy?: 'server' | 'client'
}

export interface ScriptedServer {
  /** `http://127.0.0.1:PORT` */
  origin: string
  url(path: string): string
  /** Say what `path` answers (replaces an earlier route for it). */
  route(path: string, route: Route): void
  /** Serve a file or fixed content with a content type (pages and bundles for the browser suite). */
  file(path: string, source: { file: string } | { content: string }, contentType: string): void
  /** Every request so far, optionally only those to `path`. */
  requests(path?: string): RecordedRequest[]
  /** Resolves once `path` has had `count` requests; rejects after `timeout` ms. */
  waitForRequests(path: string, count: number, timeout?: number): Promise<RecordedRequest[]>
  /** Responses to `path` still open right now. */
  openResponses(path?: string): number
  /** Resolves when no response to `path` is open any more. */
  waitForClosed(path?: string, timeout?: number): Promise<void>
  /** Forget recorded requests (routes stay). */
  reset(): void
  close(): Promise<void>
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

async function waitUntil(check: () => boolean, timeout: number, what: string): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await delay(5)
  }
}

/**
 * Starts a scripted SSE server on 127.0.0.1 with a random port. A test says what each path answers
 * (status, headers, body steps with pauses) and reads back what the client sent.
 */
export async function startServer(): Promise<ScriptedServer> {
  const routes = new Map<string, Route>()
  const files = new Map<string, { source: { file: string } | { content: string }; contentType: string }>()
  const recorded: RecordedRequest[] = []
  const open = new Map<ServerResponse, string>()
  const sockets = new Set<Socket>()
  const destroyedByScript = new WeakSet<ServerResponse>()

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500)
      res.end(String(error))
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin)
    const path = url.pathname
    const staticFile = files.get(path)
    if (staticFile) {
      const body = 'file' in staticFile.source ? await readFile(staticFile.source.file) : staticFile.source.content
      res.writeHead(200, { 'content-type': staticFile.contentType, 'cache-control': 'no-store' })
      res.end(body)
      return
    }
    const index = recorded.filter((r) => r.path === path).length
    const at = performance.now()
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const request: RecordedRequest = { method: req.method ?? 'GET', path, url, headers: req.headers, body, index, at }
    recorded.push(request)
    res.on('close', () => {
      request.closedAt = performance.now()
      request.closedBy = res.writableFinished || destroyedByScript.has(res) ? 'server' : 'client'
    })
    const route = routes.get(path)
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end(`no route for ${path}`)
      return
    }
    let script: Script | void
    if (typeof route === 'function') script = await route(request, res, req)
    else if (Array.isArray(route)) script = route[Math.min(index, route.length - 1)]
    else script = route
    if (!script) return
    await play(script, res, req)
  }

  async function play(script: Script, res: ServerResponse, req: IncomingMessage): Promise<void> {
    if (script.redirect !== undefined) {
      res.writeHead(script.status ?? 302, { location: script.redirect })
      res.end()
      return
    }
    const headers: Record<string, string> = {}
    const given = { 'content-type': 'text/event-stream', ...script.headers }
    for (const [name, value] of Object.entries(given)) if (value !== null) headers[name] = value
    const path = new URL(req.url ?? '/', origin).pathname
    open.set(res, path)
    res.on('close', () => open.delete(res))
    res.writeHead(script.status ?? 200, headers)
    res.flushHeaders()
    for (const step of script.body ?? []) {
      if (res.destroyed) return
      // isView, not instanceof: under vitest's jsdom environment a Buffer is not the global Uint8Array's instance.
      if (typeof step === 'string' || ArrayBuffer.isView(step)) res.write(step)
      else if ('wait' in step) await delay(step.wait)
      else {
        destroyedByScript.add(res)
        res.destroy()
        return
      }
    }
    if (!script.hold) res.end()
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  const countOpen = (path?: string) => [...open.values()].filter((p) => path === undefined || p === path).length

  return {
    origin,
    url: (path) => origin + path,
    route: (path, route) => void routes.set(path, route),
    file: (path, source, contentType) => void files.set(path, { source, contentType }),
    requests: (path) => recorded.filter((r) => path === undefined || r.path === path),
    async waitForRequests(path, count, timeout = 5000) {
      await waitUntil(() => recorded.filter((r) => r.path === path).length >= count, timeout, `${count} requests to ${path}`)
      return recorded.filter((r) => r.path === path)
    },
    openResponses: countOpen,
    waitForClosed: (path, timeout = 5000) => waitUntil(() => countOpen(path) === 0, timeout, `responses to ${path ?? 'any path'} to close`),
    reset: () => void (recorded.length = 0),
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Formats one SSE message block (each field on its own line, ended by a blank line). */
export function sse(fields: { data?: string; id?: string; event?: string; retry?: number }): string {
  let out = ''
  if (fields.event !== undefined) out += `event: ${fields.event}\n`
  if (fields.id !== undefined) out += `id: ${fields.id}\n`
  if (fields.retry !== undefined) out += `retry: ${fields.retry}\n`
  if (fields.data !== undefined) for (const line of fields.data.split('\n')) out += `data: ${line}\n`
  return out + '\n'
}
