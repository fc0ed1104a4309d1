import { Agent } from 'node:http'
import { createNodeTransport, nodeTransport } from '@ssekit/polyfill/node'
import { describe, expect, it } from 'vitest'
import { a, b, fetchWith, useServers } from './helpers.ts'

useServers()

describe('node transport: agents and abort', () => {
  it('makes every connection through an injected agent, or the agent a function picks per URL', async () => {
    let created = 0
    class CountingAgent extends Agent {
      override createConnection(...args: Parameters<Agent['createConnection']>): ReturnType<Agent['createConnection']> {
        created++
        return super.createConnection(...args)
      }
    }
    const agent = new CountingAgent({ keepAlive: false })
    a.route('/agent', { status: 302, redirect: b.url('/agent-target') })
    b.route('/agent-target', { body: ['data: via agent\n\n'] })
    const outcome = await fetchWith(createNodeTransport({ agent }), a.url('/agent'))
    expect(outcome.text).toBe('data: via agent\n\n')
    expect(created).toBe(2)
    const seen: string[] = []
    const picked = await fetchWith(
      createNodeTransport({
        agent: (url) => {
          seen.push(url.href)
          return url.port === new URL(b.origin).port ? agent : undefined
        },
      }),
      a.url('/agent'),
    )
    expect(picked.text).toBe('data: via agent\n\n')
    expect(seen).toEqual([a.url('/agent'), b.url('/agent-target')])
    expect(created).toBe(3)
    agent.destroy()
  })

  it('abort() drops the request and the response, and nothing is called after it', async () => {
    a.route('/held', { body: ['data: one\n\n'], hold: true })
    a.reset()
    const calls: string[] = []
    let abort: () => void = () => undefined
    await new Promise<void>((resolve) => {
      abort = nodeTransport(
        { url: a.url('/held'), method: 'GET', headers: {}, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
        {
          active: () => true,
          response: () => calls.push('response'),
          text: () => {
            calls.push('text')
            resolve()
          },
          end: () => calls.push('end'),
          error: () => calls.push('error'),
        },
      )
    })
    abort()
    abort()
    await a.waitForClosed('/held')
    expect(a.requests('/held')[0]!.closedBy).toBe('client')
    // Aborting before the request even started: no request, no call.
    const never = nodeTransport(
      { url: a.url('/held'), method: 'GET', headers: {}, body: undefined, withCredentials: false, attempt: 0, lastEventId: '' },
      { active: () => true, response: () => calls.push('late'), text: () => calls.push('late'), end: () => calls.push('late'), error: () => calls.push('late') },
    )
    never()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(calls).toEqual(['response', 'text'])
    expect(a.requests('/held')).toHaveLength(1)
  })

  it('an agent function that throws fails the request, on a redirect too, instead of throwing out of a Node callback', async () => {
    const refused = await fetchWith(createNodeTransport({ agent: () => { throw new Error('no agent for this URL') } }), a.url('/never'))
    expect(String(refused.error)).toMatch(/no agent for this URL/)
    a.route('/to-b', { status: 302, redirect: b.url('/b-target') })
    const onlyA = createNodeTransport({
      agent: (url) => {
        if (url.port !== new URL(a.origin).port) throw new Error(`no agent for ${url.host}`)
        return undefined
      },
    })
    const redirected = await fetchWith(onlyA, a.url('/to-b'))
    expect(redirected.response).toBeUndefined()
    expect(String(redirected.error)).toMatch(/no agent for/)
    expect(b.requests('/b-target')).toHaveLength(0)
    for (const outcome of [refused, redirected]) expect(outcome.late).toBe(0)
  })

  it('a header value Node refuses fails asynchronously, as an error', async () => {
    const outcome = await fetchWith(nodeTransport, a.url('/x'), { 'X-Bad': 'a\nb' })
    expect(outcome.error).toBeInstanceOf(TypeError)
  })
})
