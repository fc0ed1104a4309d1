import { describe, expect, it, vi } from 'vitest'
import { ctx, run, takeOver, useDom, useServerAndDom } from './helpers.ts'

useServerAndDom()

describe('xhrTransport on a streaming XMLHttpRequest (jsdom)', () => {
  it('passes text on in pieces while the response is still open, each piece once', async () => {
    useDom()
    const control = takeOver(ctx.server, '/pieces')
    const t = run(ctx.server.url('/pieces'))
    const res = await control.next()
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write('data: one\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\n'))
    expect(t.kinds()).toEqual(['response', 'text'])
    res.write('data: two\n\n')
    await vi.waitFor(() => expect(t.text()).toBe('data: one\n\ndata: two\n\n'))
    expect(t.chunks()).toEqual(['data: one\n\n', 'data: two\n\n'])
    res.end('data: three\n\n')
    expect(await t.settled).toEqual({ kind: 'end', reason: 'eof' })
    expect(t.text()).toBe('data: one\n\ndata: two\n\ndata: three\n\n')
    expect(t.kinds()).toEqual(['response', 'text', 'text', 'text', 'end:eof'])
  })

  it('passes text on as the scripted server writes it, pausing between writes', async () => {
    useDom()
    ctx.server.route('/paced', { body: ['data: a\n\n', { wait: 80 }, 'data: b\n\n', { wait: 80 }, 'data: c\n\n'] })
    const openAtText: number[] = []
    const t = run(ctx.server.url('/paced'), {}, { text: () => openAtText.push(ctx.server.openResponses('/paced')) })
    await t.settled
    expect(openAtText[0]).toBe(1)
    expect(t.text()).toBe('data: a\n\ndata: b\n\ndata: c\n\n')
    expect(t.chunks().length).toBeGreaterThan(1)
  })

  it('decodes a multi-byte UTF-8 character split across writes, never passing a U+FFFD for it', async () => {
    useDom()
    const control = takeOver(ctx.server, '/split')
    const t = run(ctx.server.url('/split'))
    const res = await control.next()
    const bytes = new TextEncoder().encode('€😀')
    res.writeHead(200, { 'content-type': 'text/event-stream' })
    res.write(Buffer.concat([Buffer.from('data: '), bytes.subarray(0, 1)]))
    // The text before the split character arrives; the half character is held back.
    await vi.waitFor(() => expect(t.text()).toBe('data: '))
    res.write(bytes.subarray(1, 5))
    await vi.waitFor(() => expect(t.text()).toBe('data: €'))
    res.write(bytes.subarray(5))
    await vi.waitFor(() => expect(t.text()).toBe('data: €😀'))
    res.end('\n\n')
    await t.settled
    expect(t.text()).toBe('data: €😀\n\n')
    expect(t.text()).not.toContain('\uFFFD')
  })

  it('passes on a U+FFFD the body really ends with', async () => {
    useDom()
    ctx.server.route('/truncated', { body: ['data: x', new Uint8Array([0xe2, 0x82])] })
    const t = run(ctx.server.url('/truncated'))
    await t.settled
    expect(t.text()).toBe('data: x\uFFFD')
    expect(t.kinds().at(-1)).toBe('end:eof')
  })

  it('decodes the body as UTF-8 even when the content type says charset=iso-8859-1', async () => {
    useDom()
    ctx.server.route('/latin1', {
      headers: { 'content-type': 'text/event-stream; charset=iso-8859-1' },
      body: [new TextEncoder().encode('data: é€\n\n')],
    })
    const t = run(ctx.server.url('/latin1'))
    await t.settled
    expect(t.text()).toBe('data: é€\n\n')
  })
})
