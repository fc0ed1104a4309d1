import { afterAll, beforeAll, expect, it } from 'vitest'
import { EventSource } from '@ssekit/polyfill'
import { startServer, sse, type ScriptedServer } from '../../../test/server/scripted-server.ts'

let server: ScriptedServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

it('receives events, reconnects with Last-Event-ID, closes', async () => {
  server.route('/s', [
    { body: [sse({ data: 'hello', id: '1' }), sse({ event: 'myEvent', data: 'x\ny', id: '2' }), 'retry: 20\n\n'] },
    { body: [sse({ data: 'again' })], hold: true },
  ])
  const source = new EventSource(server.url('/s'))
  const log: string[] = []
  source.onopen = () => log.push(`open ${source.readyState}`)
  source.onmessage = (e) => log.push(`message ${e.data} ${e.lastEventId} ${e.origin}`)
  source.addEventListener('myEvent', (e) => log.push(`myEvent ${e.data}`))
  source.onerror = (e) => log.push(`error ${source.readyState} ${(e as any).error.code}`)
  await server.waitForRequests('/s', 2)
  await new Promise((r) => setTimeout(r, 100))
  source.close()
  await server.waitForClosed('/s')
  expect(log).toEqual([
    'open 1',
    `message hello 1 ${server.origin}`,
    'myEvent x\ny',
    'error 0 stream-ended',
    'open 1',
    `message again 2 ${server.origin}`,
  ])
  expect(server.requests('/s')[1]!.headers['last-event-id']).toBe('2')
})
