import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { createFetchTransport, EventSource, type FetchLike } from '@ssekit/polyfill'
import { startServer, sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'

let server: ScriptedServer
const sources: EventSource[] = []
beforeAll(async () => {
  server = await startServer()
})
afterEach(() => sources.splice(0).forEach((source) => source.close()))
afterAll(() => server.close())

function open(path: string, init?: ConstructorParameters<typeof EventSource>[1]): EventSource {
  const source = new EventSource(server.url(path), init)
  sources.push(source)
  return source
}

function until(check: () => boolean, what: string, timeout = 5000): Promise<void> {
  const start = Date.now()
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve()
      else if (Date.now() - start > timeout) reject(new Error(`timed out waiting for ${what}`))
      else setTimeout(poll, 5)
    }
    poll()
  })
}

it('receives events, reconnects with Last-Event-ID after the stream ends, and closes', async () => {
  server.route('/s', [
    { body: [sse({ data: 'hello', id: '1' }), sse({ event: 'myEvent', data: 'x\ny', id: '2' }), 'retry: 20\n\n'] },
    { body: [sse({ data: 'again' })], hold: true },
  ])
  const source = open('/s')
  const log: string[] = []
  source.onopen = () => log.push(`open ${source.readyState}`)
  source.onmessage = (e) => log.push(`message ${e.data} ${e.lastEventId} ${e.origin}`)
  source.addEventListener('myEvent', (e) => log.push(`myEvent ${e.data}`))
  source.onerror = (e) => log.push(`error ${source.readyState} ${(e as any).error.code} ${(e as any).willReconnect}`)
  await until(() => log.length === 6, 'six log entries')
  source.close()
  await server.waitForClosed('/s')
  expect(log).toEqual([
    'open 1',
    `message hello 1 ${server.origin}`,
    'myEvent x\ny',
    'error 0 stream-ended true',
    'open 1',
    `message again 2 ${server.origin}`,
  ])
  expect(server.requests('/s')[1]!.headers['last-event-id']).toBe('2')
})

it('dispatches the last event of a body that ends in a lone CR (that CR ends the blank line)', async () => {
  server.route('/cr', [{ body: ['data: last\r\r'] }, { hold: true }])
  const source = open('/cr')
  const got: string[] = []
  source.onmessage = (e) => got.push(e.data)
  await server.waitForRequests('/cr', 1)
  await until(() => source.readyState === EventSource.CONNECTING && got.length > 0, 'the end of the first body')
  expect(got).toEqual(['last'])
})

it('fetch transport: events that arrived before a network error are dispatched, even when the error comes while open listeners run', async () => {
  // A body that errors drops the chunks it holds unread (streams "error" resets the queue); here it
  // errors from inside the `open` listener, the moment before the transport would otherwise read.
  let failBody: (() => void) | undefined
  const fetch: FetchLike = async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: one\n\n'))
        failBody = () => controller.error(new TypeError('connection reset'))
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } }) as never
  }
  const source = open('/never-requested', { transport: createFetchTransport(fetch) })
  const log: string[] = []
  source.onopen = () => {
    log.push('open')
    failBody!()
  }
  source.onmessage = (e) => log.push(`message ${e.data}`)
  source.onerror = (e) => log.push(`error ${(e as any).error.code}`)
  await until(() => log.some((line) => line.startsWith('error')), 'the error event')
  expect(log).toEqual(['open', 'message one', 'error network'])
})
