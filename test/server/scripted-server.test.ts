import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, sse, type ScriptedServer } from './scripted-server.ts'

describe('scripted test server', () => {
  let server: ScriptedServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('plays a script per connection and records the requests', async () => {
    server.route('/s', [{ body: [sse({ data: 'one', id: '1' })] }, { status: 204 }])
    const first = await fetch(server.url('/s'), { headers: { 'last-event-id': 'x' } })
    expect(first.headers.get('content-type')).toBe('text/event-stream')
    expect(await first.text()).toBe('id: 1\ndata: one\n\n')
    const second = await fetch(server.url('/s'))
    expect(second.status).toBe(204)
    const requests = server.requests('/s')
    expect(requests.map((r) => r.index)).toEqual([0, 1])
    expect(requests[0]!.headers['last-event-id']).toBe('x')
  })

  it('pauses between steps and tracks open responses', async () => {
    server.route('/slow', { body: ['data: a\n\n', { wait: 100 }, 'data: b\n\n'] })
    const started = performance.now()
    const response = await fetch(server.url('/slow'))
    expect(server.openResponses('/slow')).toBe(1)
    expect(await response.text()).toBe('data: a\n\ndata: b\n\n')
    expect(performance.now() - started).toBeGreaterThanOrEqual(90)
    await server.waitForClosed('/slow')
  })
})
