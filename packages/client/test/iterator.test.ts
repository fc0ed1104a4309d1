import { describe, expect, it } from 'vitest'
import { connect, type CloseInfo, type ServerEvent } from '@ssekit/client/polyfilled'
import { sse } from '../../../test/server/scripted-server.ts'
import { serverSuite, until } from './helpers.ts'

const ctx = serverSuite('iterator')

/** Events 1…`count` with ids, starting after the request's Last-Event-ID, as a server that resumes does. */
function resumingStream(path: string, count: number): void {
  ctx.server.route(path, (request) => {
    const from = Number(request.headers['last-event-id'] ?? 0)
    const body: string[] = []
    for (let i = from + 1; i <= count; i++) body.push(sse({ event: i % 2 ? 'odd' : 'even', data: String(i), id: String(i) }))
    return { body, hold: true }
  })
}

type Events = { odd: number; even: number }

describe('async iteration', () => {
  it('yields typed { type, data, id, event } in order; break closes the connection', async () => {
    const path = ctx.path()
    resumingStream(path, 10)
    const closes: CloseInfo[] = []
    const typed = connect<Events>(ctx.server.url(path), { decode: 'json', events: ['odd', 'even'], onClose: (info) => void closes.push(info) })
    ctx.client = typed
    const got: Array<Omit<ServerEvent<Events>, 'event'>> = []
    for await (const { type, data, id, event } of typed) {
      expect(event.type).toBe(type)
      got.push({ type, data, id })
      if (data === 3) break
    }
    expect(got).toEqual([
      { type: 'odd', data: 1, id: '1' },
      { type: 'even', data: 2, id: '2' },
      { type: 'odd', data: 3, id: '3' },
    ])
    expect(ctx.client.status).toBe('closed')
    expect(closes).toEqual([{ reason: 'close', lastEventId: expect.any(String), error: undefined }])
    await ctx.server.waitForClosed(path)
  })

  it('a slow consumer pauses reading at bufferSize and resumes from the last id: nothing lost, nothing twice', async () => {
    const path = ctx.path()
    resumingStream(path, 30)
    // The polyfill sends the id as Last-Event-ID, which this server resumes from.
    ctx.client = connect<Events>(ctx.server.url(path), { backend: 'polyfill', decode: 'json', events: ['odd', 'even'], bufferSize: 4 })
    const got: number[] = []
    const statuses: string[] = []
    for await (const { data } of ctx.client) {
      got.push(data)
      if (got.length === 1) {
        // Hold the consumer until the client gave up reading: 1 taken, 4 waiting = bufferSize.
        await until(() => ctx.client!.status === 'paused', 'the pause')
        statuses.push(ctx.client!.status)
        await ctx.server.waitForClosed(path)
      }
      if (data === 30) break
    }
    expect(got).toEqual(Array.from({ length: 30 }, (_, i) => i + 1))
    expect(statuses).toEqual(['paused'])
    const resumedFrom = ctx.server.requests(path).map((r) => r.headers['last-event-id'])
    // The first resumption comes once the consumer took 2 of the 4 (half the buffer).
    expect(resumedFrom[0]).toBeUndefined()
    expect(resumedFrom[1]).toBe('5')
    expect(resumedFrom.length).toBeGreaterThan(1)
  })

  it('ends with the ConnectionError after the buffered events when the client gives up', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a', id: '1' }), sse({ data: 'b', id: '2' })] }, { status: 401 }])
    ctx.client = connect(ctx.server.url(path), { backend: 'polyfill', retry: { initialDelay: 0 } })
    const iterator = ctx.client[Symbol.asyncIterator]()
    await until(() => ctx.client!.status === 'closed', 'the give-up')
    expect(await iterator.next()).toMatchObject({ done: false, value: { data: 'a', id: '1' } })
    expect(await iterator.next()).toMatchObject({ done: false, value: { data: 'b', id: '2' } })
    await expect(iterator.next()).rejects.toMatchObject({ name: 'ConnectionError', code: 'gave-up', status: 401 })
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('next() called again before the last one settled: each call gets its own event, and every call settles when the client closes', async () => {
    ctx.client = connect(ctx.stream(sse({ data: 'a' }), sse({ data: 'b' })))
    const iterator = ctx.client[Symbol.asyncIterator]()
    const results: Array<IteratorResult<unknown>> = []
    // Three calls at once, as Promise.all or a pipeline helper makes them: the third waits for an event that never comes.
    for (let i = 0; i < 3; i++) void iterator.next().then((result) => void results.push(result))
    await until(() => results.length === 2, 'two events for the first two calls')
    expect(results.map((result) => (result.value as { data: string }).data)).toEqual(['a', 'b'])
    ctx.client.close()
    await until(() => results.length === 3, 'the third call to settle at close()')
    expect(results[2]).toEqual({ done: true, value: undefined })
  })

  it('an iterator made after the client gave up throws its ConnectionError', async () => {
    const path = ctx.path()
    ctx.server.route(path, { status: 401 })
    ctx.client = connect(ctx.server.url(path), { backend: 'polyfill' })
    // The consumer starts late, after the give-up (it awaited something else first, say).
    await until(() => ctx.client!.status === 'closed', 'the give-up')
    const iterator = ctx.client[Symbol.asyncIterator]()
    await expect(iterator.next()).rejects.toMatchObject({ name: 'ConnectionError', code: 'gave-up', status: 401 })
    expect(await iterator.next()).toEqual({ done: true, value: undefined })
  })

  it('an iterator made after close() is done at once', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [], hold: true })
    ctx.client = connect(ctx.server.url(path))
    ctx.client.close()
    expect(await ctx.client[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined })
  })
})

describe('AbortSignal', () => {
  it('aborting closes the connection and ends iteration quietly', async () => {
    const path = ctx.path()
    resumingStream(path, 3)
    const controller = new AbortController()
    const closes: CloseInfo[] = []
    ctx.client = connect<Events>(ctx.server.url(path), { decode: 'json', events: ['odd', 'even'], signal: controller.signal, onClose: (info) => void closes.push(info) })
    const got: number[] = []
    for await (const { data } of ctx.client) {
      got.push(data)
      if (data === 3) controller.abort()
    }
    expect(got).toEqual([1, 2, 3])
    expect(ctx.client.status).toBe('closed')
    expect(closes).toEqual([{ reason: 'abort', lastEventId: '3', error: undefined }])
    await ctx.server.waitForClosed(path)
  })

  it('an aborted signal never connects', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [], hold: true })
    const closes: CloseInfo[] = []
    ctx.client = connect(ctx.server.url(path), { signal: AbortSignal.abort(), onClose: (info) => void closes.push(info) })
    expect(ctx.client.status).toBe('closed')
    expect(closes).toEqual([{ reason: 'abort', lastEventId: '', error: undefined }])
    // Let any request that was wrongly started reach the server.
    const probe = ctx.path()
    ctx.server.route(probe, { status: 204 })
    await fetch(ctx.server.url(probe))
    expect(ctx.server.requests(path)).toEqual([])
  })

  it('close() lets go of the signal', () => {
    const controller = new AbortController()
    const added: unknown[] = []
    const removed: unknown[] = []
    const signal = controller.signal
    const add = signal.addEventListener.bind(signal)
    const remove = signal.removeEventListener.bind(signal)
    signal.addEventListener = ((type: string, listener: never) => {
      added.push(listener)
      add(type, listener)
    }) as never
    signal.removeEventListener = ((type: string, listener: never) => {
      removed.push(listener)
      remove(type, listener)
    }) as never
    const path = ctx.path()
    ctx.server.route(path, { body: [], hold: true })
    ctx.client = connect(ctx.server.url(path), { signal })
    ctx.client.close()
    expect(added).toHaveLength(1)
    expect(removed).toEqual(added)
  })
})
