import { createFetchTransport, EventSource, fetchTransport } from '@ssekit/polyfill'
import { describe, expect, it } from 'vitest'
import { a, useServers } from './helpers.ts'

useServers()

describe('the default transport under Node (index.node.ts, the `node` export condition)', () => {
  /** Which transport made the request: fetch (undici) sends Sec-Fetch-Mode, node:http does not. */
  async function transportOf(EventSourceClass: typeof EventSource, path: string, init?: ConstructorParameters<typeof EventSource>[1]): Promise<string> {
    a.route(path, { body: ['data: x\n\n'], hold: true })
    const source = new EventSourceClass(a.url(path), init)
    await new Promise((resolve, reject) => ((source.onmessage = resolve), (source.onerror = reject)))
    source.close()
    return a.requests(path)[0]!.headers['sec-fetch-mode'] ? 'fetch' : 'node'
  }

  it('is fetch before the Node entry loads; the node transport after; fetchTransport and createFetchTransport still force fetch', async () => {
    expect(await transportOf(EventSource, '/default-before')).toBe('fetch')
    const node = await import('../../src/index.node.ts')
    expect(node.EventSource).toBe(EventSource)
    expect(Object.keys(node).sort()).toEqual(Object.keys(await import('../../src/index.ts')).sort())
    expect(await transportOf(EventSource, '/default-after')).toBe('node')
    expect(await transportOf(EventSource, '/forced-fetch', { transport: fetchTransport })).toBe('fetch')
    expect(await transportOf(EventSource, '/fetch-option', { transport: createFetchTransport((url, init) => fetch(url, init as RequestInit) as never) })).toBe('fetch')
  })
})
