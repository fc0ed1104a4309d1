import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Script } from '../../../test/server/scripted-server.ts'
import { bundleBlock, codeBlocks, root } from '../../../test/support/markdown.ts'
import { recordBodies, serverSuite } from './helpers.ts'

// The README's recipes, run as written: each ```ts block that starts with `// recipe: NAME` is
// bundled as a module (with `@ssekit/client` as Node resolves it: the polyfilled entry) and its
// function is called against a local server that speaks the provider's format. The stream bodies
// are ours, written from the providers' public documentation (OpenAI "Streaming API responses" and
// the Responses streaming events; Anthropic "Streaming Messages").
const ctx = serverSuite('recipe')
let dir = ''
const recipes: Record<string, Record<string, (...args: any[]) => Promise<unknown>>> = {}

/** The README's recipe blocks by name. */
function readRecipes(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const block of codeBlocks('packages/client/README.md')) if (block.kind === 'recipe') out[block.name!] = block.code
  return out
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ssekit-recipes-'))
  for (const [name, code] of Object.entries(readRecipes())) {
    const file = join(dir, `${name}.mjs`)
    await bundleBlock(code, file, { alias: { '@ssekit/client': join(root, 'packages/client/src/polyfilled.ts') } })
    recipes[name] = await import(pathToFileURL(file).href)
  }
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const json = (value: unknown) => JSON.stringify(value)
const chunk = (data: unknown, event?: string) => `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : json(data)}\n\n`

it('the README has the three recipes', () => {
  expect(Object.keys(readRecipes()).sort()).toEqual(['anthropic-messages', 'openai-chat', 'openai-responses'])
})

describe('OpenAI Chat Completions', () => {
  const delta = (content: string | undefined, finish: string | null = null) =>
    chunk({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: content === undefined ? {} : { content }, logprobs: null, finish_reason: finish }] })
  const answer: Script = {
    body: [
      chunk({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }),
      delta('Hello'),
      delta(', world'),
      delta(undefined, 'stop'),
      'data: [DONE]\n\n',
    ],
  }

  it('streams the answer, ends at [DONE] without decoding it, and never asks twice', async () => {
    const path = ctx.path()
    const bodies: string[] = []
    ctx.server.route(`${path}/chat/completions`, recordBodies(bodies, [answer]))
    const text: string[] = []
    await recipes['openai-chat']!.chat!(ctx.server.url(path), 'sk-test', 'Say hello', (t: string) => text.push(t))
    expect(text.join('')).toBe('Hello, world')
    const requests = ctx.server.requests(`${path}/chat/completions`)
    expect(requests).toHaveLength(1)
    expect(requests[0]!.method).toBe('POST')
    expect(requests[0]!.headers['authorization']).toBe('Bearer sk-test')
    expect(JSON.parse(bodies[0]!)).toMatchObject({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'Say hello' }] })
  })

  it('waits out a 429 with Retry-After, then streams; the retry sends the same request', async () => {
    const path = ctx.path()
    const bodies: string[] = []
    const limited: Script = { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: [json({ error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } })] }
    ctx.server.route(`${path}/chat/completions`, recordBodies(bodies, [limited, answer]))
    const text: string[] = []
    await recipes['openai-chat']!.chat!(ctx.server.url(path), 'sk-test', 'Again', (t: string) => text.push(t))
    const requests = ctx.server.requests(`${path}/chat/completions`)
    expect(requests).toHaveLength(2)
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(950)
    expect(bodies[1]).toBe(bodies[0])
    expect(text.join('')).toBe('Hello, world')
  })

  it('a 401 gives up at once with the server explanation in the error', async () => {
    const path = ctx.path()
    ctx.server.route(`${path}/chat/completions`, { status: 401, headers: { 'content-type': 'application/json' }, body: [json({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } })] })
    const failure = await recipes['openai-chat']!.chat!(ctx.server.url(path), 'sk-wrong', 'Hi', () => {}).catch((error: unknown) => error)
    expect(failure).toMatchObject({ name: 'ConnectionError', status: 401 })
    expect(JSON.parse((failure as { body: string }).body).error.code).toBe('invalid_api_key')
    expect(ctx.server.requests(`${path}/chat/completions`)).toHaveLength(1)
  })

  it('an error mid-stream ends the loop with it', async () => {
    const path = ctx.path()
    ctx.server.route(`${path}/chat/completions`, { body: [delta('Hel'), chunk({ error: { message: 'The server had an error', type: 'server_error', code: null } })], hold: true })
    await expect(recipes['openai-chat']!.chat!(ctx.server.url(path), 'sk-test', 'Hi', () => {})).rejects.toThrow('server_error: The server had an error')
    await ctx.server.waitForClosed(`${path}/chat/completions`)
  })
})

describe('OpenAI Responses', () => {
  const events = (tail: string[]) => [
    chunk({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }, 'response.created'),
    chunk({ type: 'response.in_progress', sequence_number: 1, response: { id: 'resp_1', object: 'response', status: 'in_progress' } }, 'response.in_progress'),
    chunk({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi', sequence_number: 2 }, 'response.output_text.delta'),
    chunk({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: ' there', sequence_number: 3 }, 'response.output_text.delta'),
    ...tail,
  ]

  it('streams the deltas and ends at response.completed', async () => {
    const path = ctx.path()
    const bodies: string[] = []
    ctx.server.route(`${path}/responses`, recordBodies(bodies, [{
      body: events([
        chunk({ type: 'response.output_text.done', item_id: 'msg_1', output_index: 0, content_index: 0, text: 'Hi there', sequence_number: 4 }, 'response.output_text.done'),
        chunk({ type: 'response.completed', sequence_number: 5, response: { id: 'resp_1', object: 'response', status: 'completed' } }, 'response.completed'),
      ]),
    }]))
    const text: string[] = []
    expect(await recipes['openai-responses']!.respond!(ctx.server.url(path), 'sk-test', 'Greet me', (t: string) => text.push(t))).toBe('Hi there')
    expect(text).toEqual(['Hi', ' there'])
    expect(JSON.parse(bodies[0]!)).toEqual({ model: 'gpt-5', input: 'Greet me', stream: true })
    expect(ctx.server.requests(`${path}/responses`)).toHaveLength(1)
  })

  it('an error event mid-stream ends the loop with it', async () => {
    const path = ctx.path()
    ctx.server.route(`${path}/responses`, { body: events([chunk({ type: 'error', code: 'server_error', message: 'Something went wrong', param: null, sequence_number: 4 }, 'error')]) })
    await expect(recipes['openai-responses']!.respond!(ctx.server.url(path), 'sk-test', 'Hi', () => {})).rejects.toThrow('server_error: Something went wrong')
    expect(ctx.server.requests(`${path}/responses`)).toHaveLength(1)
  })

  it('a stream cut short (no response.completed) is an error, not a second request', async () => {
    const path = ctx.path()
    ctx.server.route(`${path}/responses`, { body: events([]) })
    await expect(recipes['openai-responses']!.respond!(ctx.server.url(path), 'sk-test', 'Hi', () => {})).rejects.toMatchObject({ name: 'ConnectionError', message: expect.stringContaining('ended before its terminator') })
    expect(ctx.server.requests(`${path}/responses`)).toHaveLength(1)
  })
})

describe('Anthropic Messages', () => {
  const start = [
    chunk({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5', stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 } } }, 'message_start'),
    chunk({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    chunk({ type: 'ping' }, 'ping'),
    chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }, 'content_block_delta'),
  ]
  const end = [
    chunk({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } }, 'content_block_delta'),
    chunk({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    chunk({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }, 'message_delta'),
    chunk({ type: 'message_stop' }, 'message_stop'),
  ]

  it('streams text deltas, skips pings, ends at message_stop with the stop reason', async () => {
    const path = ctx.path()
    const bodies: string[] = []
    ctx.server.route(`${path}/v1/messages`, recordBodies(bodies, [{ body: [...start, ...end], hold: true }]))
    const text: string[] = []
    expect(await recipes['anthropic-messages']!.claude!(ctx.server.url(path), 'sk-ant-test', 'Hi', (t: string) => text.push(t))).toBe('end_turn')
    expect(text).toEqual(['Hello', '!'])
    const request = ctx.server.requests(`${path}/v1/messages`)[0]!
    expect(request.headers['x-api-key']).toBe('sk-ant-test')
    expect(request.headers['anthropic-version']).toBe('2023-06-01')
    expect(JSON.parse(bodies[0]!)).toMatchObject({ stream: true, max_tokens: 1024 })
    // The terminator closed the client although the server held the response open.
    await ctx.server.waitForClosed(`${path}/v1/messages`)
  })

  it('an error event mid-stream (overloaded_error) ends the loop with it', async () => {
    const path = ctx.path()
    ctx.server.route(`${path}/v1/messages`, { body: [...start, chunk({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error')], hold: true })
    await expect(recipes['anthropic-messages']!.claude!(ctx.server.url(path), 'sk-ant-test', 'Hi', () => {})).rejects.toThrow('overloaded_error: Overloaded')
    await ctx.server.waitForClosed(`${path}/v1/messages`)
  })

  it('retries a 429 after its Retry-After, then streams', async () => {
    const path = ctx.path()
    const limited: Script = { status: 429, headers: { 'content-type': 'application/json', 'retry-after': '1' }, body: [json({ type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } })] }
    ctx.server.route(`${path}/v1/messages`, [limited, { body: [...start, ...end] }])
    const text: string[] = []
    expect(await recipes['anthropic-messages']!.claude!(ctx.server.url(path), 'sk-ant-test', 'Hi', (t: string) => text.push(t))).toBe('end_turn')
    const requests = ctx.server.requests(`${path}/v1/messages`)
    expect(requests).toHaveLength(2)
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(950)
    expect(text).toEqual(['Hello', '!'])
  })
})
