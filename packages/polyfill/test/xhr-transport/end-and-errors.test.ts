import { createServer, type AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { sse } from '../../../../test/server/scripted-server.ts'
import { ctx, run, settleIo, useDom, useServerAndDom } from './helpers.ts'

useServerAndDom()

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('ends with eof exactly once after all the text, and calls nothing after', async () => {
    useDom()
    ctx.server.route('/eof', { body: [sse({ data: 'a', id: '1' }), { wait: 20 }, sse({ data: 'b' })] })
    const t = run(ctx.server.url('/eof'))
    expect(await t.settled).toEqual({ kind: 'end', reason: 'eof' })
    await settleIo()
    expect(t.kinds().filter((k) => k !== 'text')).toEqual(['response', 'end:eof'])
    expect(t.text()).toBe('id: 1\ndata: a\n\ndata: b\n\n')
  })

  it('reports a connection the server destroys mid-body as an error, not an end', async () => {
    useDom()
    ctx.server.route('/reset', { body: ['data: a\n\n', { wait: 30 }, { destroy: true }] })
    const t = run(ctx.server.url('/reset'))
    const last = await t.settled
    expect(last.kind).toBe('error')
    expect((last as { cause: unknown }).cause).toBeInstanceOf(Error)
    expect(String((last as { cause: Error }).cause.message)).toContain(ctx.server.url('/reset'))
    expect(t.text()).toBe('data: a\n\n')
    await settleIo()
    expect(t.kinds()).toEqual(['response', 'text', 'error'])
  })

  it('reports a connection destroyed before any response as an error', async () => {
    useDom()
    ctx.server.route('/hangup', (_request, res) => void res.destroy())
    const t = run(ctx.server.url('/hangup'))
    expect((await t.settled).kind).toBe('error')
    expect(t.kinds()).toEqual(['error'])
  })

  it('reports a refused connection as an error', async () => {
    useDom()
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const { port } = probe.address() as AddressInfo
    await new Promise<void>((resolve) => probe.close(() => resolve()))
    const t = run(`http://127.0.0.1:${port}/nothing-here`)
    const last = await t.settled
    expect(last.kind).toBe('error')
    expect(t.kinds()).toEqual(['error'])
  })

  it('reports a request that cannot be sent as an error, after returning the abort function', async () => {
    useDom()
    const t = run(ctx.server.url('/never'), { headers: { 'bad header': 'x' } })
    expect(t.calls).toEqual([])
    const last = await t.settled
    expect(last.kind).toBe('error')
    expect(String((last as { cause: Error }).cause.message)).toContain('could not be sent')
    expect(ctx.server.requests('/never')).toEqual([])
  })
})
