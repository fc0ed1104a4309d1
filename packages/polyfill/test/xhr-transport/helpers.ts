import type { ServerResponse } from 'node:http'
import type { JSDOM } from 'jsdom'
import { vi } from 'vitest'
import { createXhrTransport } from '../../src/transport/xhr.ts'
import type { TransportHandlers, TransportRequest, TransportResponse } from '../../src/transport/types.ts'
import type { ScriptedServer } from '../../../../test/server/scripted-server.ts'
import { serverAndDom, type ServerAndDom } from '../helpers.ts'

// The transport runs on jsdom's XMLHttpRequest, which streams: it fires `readystatechange` and
// `progress` per received chunk with a growing `responseText` while the server holds the response
// open, honours `overrideMimeType`, follows redirects with `responseURL`, and applies CORS. The
// transport reads `XMLHttpRequest` as a free global at call time, so each test stubs it on globalThis.

/** This file's server and window: set by {@link useServerAndDom}, which the file calls first. */
export let ctx: ServerAndDom

/** Registers this file's server and jsdom window (see `serverAndDom`) as {@link ctx}. */
export function useServerAndDom(): void {
  ctx = serverAndDom()
}

/** Stubs the global `XMLHttpRequest` the transport reads with `window`'s (this file's window by default). */
export function useDom(window: JSDOM['window'] = ctx.dom.window) {
  vi.stubGlobal('XMLHttpRequest', window.XMLHttpRequest)
}

/** One call the transport made on its handlers. */
export type Call =
  | { kind: 'response'; response: TransportResponse }
  | { kind: 'text'; chunk: string }
  | { kind: 'end'; reason: 'eof' | 'recycle' }
  | { kind: 'error'; cause: unknown }

/** Runs the transport and records every call it makes; `on` lets a test act inside a handler. */
export function run(url: string, request: Partial<TransportRequest> & { recycleAfter?: number } = {}, on: Partial<TransportHandlers> = {}) {
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
export function takeOver(server: ScriptedServer, path: string) {
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

/** Resolves once `res` is closed (at once if it already is). */
export function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => (res.destroyed || res.socket?.destroyed ? resolve() : res.on('close', () => resolve())))
}

/** Lets every pending I/O callback and timer of this turn run, so late handler calls would show. */
export const settleIo = () => new Promise<void>((resolve) => setTimeout(resolve, 20))
