import { describe, expect, it } from 'vitest'
import { nodeTransport } from '@ssekit/polyfill/node'
import { connect, type CloseInfo, type ErrorInfo, type GiveUpInfo, type ReconnectingInfo } from '@ssekit/client/polyfilled'
import { sse } from '../../../test/server/scripted-server.ts'
import { recordBodies, serverSuite, until } from './helpers.ts'

// Issue 12 on the client: method and body on every transport and on reconnection, async headers,
// errors that explain themselves, and streams that finish.
const ctx = serverSuite('request')

describe('method and body reach the server', () => {
  for (const [name, transport] of [['fetch', undefined], ['node', nodeTransport]] as const) {
    it(`on the ${name} transport, and again on a reconnection with the body of that attempt`, async () => {
      const path = ctx.path()
      const bodies: string[] = []
      ctx.server.route(path, recordBodies(bodies, [{ body: [sse({ data: 'a', id: '7' })] }, { body: [sse({ data: 'b' })], hold: true }]))
      const got: string[] = []
      ctx.client = connect(ctx.server.url(path), {
        method: 'POST',
        body: async ({ attempt, lastEventId }) => JSON.stringify({ attempt, after: lastEventId }),
        // A resumable server: asked for explicitly, the body is sent again after the end.
        endOfStream: 'reconnect',
        retry: { initialDelay: 0, jitter: 0 },
        ...(transport ? { polyfill: { transport } } : {}),
      })
      ctx.client.on('message', (data) => got.push(data))
      await until(() => got.length === 2, 'both events')
      expect(ctx.server.requests(path).map((r) => r.method)).toEqual(['POST', 'POST'])
      expect(bodies.map((b) => JSON.parse(b))).toEqual([{ attempt: 0, after: '' }, { attempt: 1, after: '7' }])
    })
  }
})

describe('async headers', () => {
  it('are awaited before each request', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a' })] }, { body: [], hold: true }])
    let n = 0
    ctx.client = connect(ctx.server.url(path), {
      headers: async ({ attempt }) => {
        await new Promise((resolve) => setTimeout(resolve, 20))
        return { Authorization: `Bearer token-${attempt}-${++n}` }
      },
      retry: { initialDelay: 0 },
    })
    await ctx.server.waitForRequests(path, 2)
    expect(ctx.server.requests(path).map((r) => r.headers['authorization'])).toEqual(['Bearer token-0-1', 'Bearer token-1-2'])
  })

  it('a rejection fails that attempt: reported to onError and to the policy, and no request goes out without them', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [], hold: true })
    const errors: ErrorInfo[] = []
    const seen: ReconnectingInfo[] = []
    let calls = 0
    ctx.client = connect(ctx.server.url(path), {
      headers: () => (++calls === 1 ? Promise.reject(new Error('token service down')) : { Authorization: 'Bearer fresh' }),
      retry: { initialDelay: 0 },
      onError: (info) => void errors.push(info),
      onReconnecting: (info) => void seen.push(info),
    })
    await ctx.server.waitForRequests(path, 1)
    expect(errors.map((e) => `${e.error.name} ${e.error.message}`)).toEqual(['ListenerError ssekit: a listener for "headers" threw: token service down'])
    expect(seen[0]!.cause.code).toBe('request')
    expect(ctx.server.requests(path).map((r) => r.headers['authorization'])).toEqual(['Bearer fresh'])
  })
})

describe('errors that explain themselves', () => {
  it('a failed response gives the policy its status, headers and the start of its body', async () => {
    const path = ctx.path()
    ctx.server.route(path, { status: 403, headers: { 'content-type': 'application/json', 'x-request-id': 'r1' }, body: ['{"error":"plan expired"}'] })
    const given: GiveUpInfo[] = []
    ctx.client = connect(ctx.server.url(path), { method: 'POST', body: '{}', onGiveUp: (info) => void given.push(info) })
    await until(() => given.length === 1, 'the give-up')
    const { cause, error } = given[0]!
    expect([cause.code, cause.status, cause.body, cause.headers!.get('x-request-id')]).toEqual(['http-status', 403, '{"error":"plan expired"}', 'r1'])
    expect([error.status, error.body]).toEqual([403, '{"error":"plan expired"}'])
  })
})

describe('streams that finish', () => {
  it('a request with a body is not made again after the stream ended: onClose done, for await ends normally', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [sse({ data: 'one' }), sse({ data: 'two' })] })
    const closes: CloseInfo[] = []
    ctx.client = connect(ctx.server.url(path), { method: 'POST', body: '{"prompt":"hi"}', retry: { initialDelay: 0 }, onClose: (info) => void closes.push(info) })
    const got: string[] = []
    for await (const { data } of ctx.client) got.push(data as string)
    expect(got).toEqual(['one', 'two'])
    expect(closes.map((c) => c.reason)).toEqual(['done'])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(ctx.server.requests(path)).toHaveLength(1)
  })

  it('a GET stream that ends is resumed, as the spec does', async () => {
    const path = ctx.path()
    ctx.server.route(path, [{ body: [sse({ data: 'a' })] }, { body: [], hold: true }])
    ctx.client = connect(ctx.server.url(path), { backend: 'polyfill', retry: { initialDelay: 0 } })
    await ctx.server.waitForRequests(path, 2)
  })

  it('[DONE] ends the stream and is never decoded; message_stop likewise', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [sse({ data: '{"n":1}' }), sse({ data: '[DONE]' })], hold: true })
    const errors: ErrorInfo[] = []
    const closes: CloseInfo[] = []
    ctx.client = connect<{ message: { n: number } }>(ctx.server.url(path), { decode: 'json', terminator: { data: '[DONE]' }, onError: (info) => void errors.push(info), onClose: (info) => void closes.push(info) })
    const got: number[] = []
    for await (const { data } of ctx.client) got.push(data.n)
    expect([got, errors, closes.map((c) => c.reason)]).toEqual([[1], [], ['done']])

    const other = ctx.path()
    ctx.server.route(other, { body: [sse({ event: 'delta', data: '{"t":"x"}' }), sse({ event: 'message_stop', data: '{"type":"message_stop"}' })], hold: true })
    const types: string[] = []
    ctx.client = connect<{ delta: { t: string } }>(ctx.server.url(other), { decode: 'json', events: ['delta'], terminator: 'message_stop' })
    for await (const { type } of ctx.client) types.push(type)
    expect(types).toEqual(['delta'])
    await ctx.server.waitForClosed(other)
  })

  it('with a terminator, a stream that ends without it is cut short: the client gives up, for await throws', async () => {
    const path = ctx.path()
    ctx.server.route(path, { body: [sse({ data: 'partial' })] })
    const given: GiveUpInfo[] = []
    ctx.client = connect(ctx.server.url(path), { method: 'POST', body: '{}', terminator: { data: '[DONE]' }, onGiveUp: (info) => void given.push(info) })
    const got: string[] = []
    await expect((async () => {
      for await (const { data } of ctx.client!) got.push(data as string)
    })()).rejects.toMatchObject({ name: 'ConnectionError', message: expect.stringContaining('ended before its terminator') })
    expect([got, given[0]!.reason]).toEqual([['partial'], 'no-terminator'])
    expect(ctx.server.requests(path)).toHaveLength(1)
  })
})
