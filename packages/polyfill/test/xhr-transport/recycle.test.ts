import { describe, expect, it, vi } from 'vitest'
import { sse } from '../../../../test/server/scripted-server.ts'
import { closed, ctx, run, settleIo, takeOver, useDom, useServerAndDom } from './helpers.ts'

useServerAndDom()

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('recycles only past recycleAfter, and only at an event boundary', async () => {
    useDom()
    const control = takeOver(ctx.server, '/recycle')
    const t = run(ctx.server.url('/recycle'), { recycleAfter: 12 })
    const res = await control.next()
    const gone = closed(res)
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-kept': 'yes' })
    let sent = ''
    const send = async (piece: string) => {
      sent += piece
      res.write(piece)
      await vi.waitFor(() => expect(t.text()).toBe(sent))
    }
    await send('data: a\n\n') // a boundary, but only 9 characters
    await send('data: bb\n') // 18 characters, mid-event
    await send('data: c\r') // a lone CR may be the first half of CR LF
    expect(t.kinds()).not.toContain('end:recycle')
    await send('\n\n') // CR LF then LF: a blank line
    expect(await t.settled).toEqual({ kind: 'end', reason: 'recycle' })
    await gone
    expect(res.writableEnded).toBe(false)
    await settleIo()
    expect(t.kinds().filter((k) => k !== 'text')).toEqual(['response', 'end:recycle'])
    // The head stays readable after the request is gone (an error event may show it later).
    expect(t.response().headers.get('X-Kept')).toBe('yes')
    expect(t.response().contentType).toBe('text/event-stream')
  })

  it('recycles after a chunk that crosses recycleAfter and ends at a boundary', async () => {
    useDom()
    ctx.server.route('/recycle-scripted', {
      body: [sse({ data: 'x'.repeat(30), id: '1' }), { wait: 30 }, sse({ data: 'never seen', id: '2' })],
      hold: true,
    })
    const t = run(ctx.server.url('/recycle-scripted'), { recycleAfter: 16 })
    expect(await t.settled).toEqual({ kind: 'end', reason: 'recycle' })
    expect(t.text()).toBe(sse({ data: 'x'.repeat(30), id: '1' }))
    await ctx.server.waitForClosed('/recycle-scripted')
    expect(t.text()).not.toContain('never seen')
  })
})
