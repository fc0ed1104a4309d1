import type { StandardSchemaV1 } from '@standard-schema/spec'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { connect, isClientError, type DecodeError, type ErrorInfo } from '@ssekit/client/polyfilled'
import { sse } from '../../../test/server/scripted-server.ts'
import { serverSuite, until } from './helpers.ts'

const ctx = serverSuite('decode')

describe('decoding', () => {
  it('keeps the text by default', async () => {
    const got: unknown[] = []
    ctx.client = connect(ctx.stream(sse({ data: '{"a":1}' }), sse({ data: 'line 1\nline 2' })))
    ctx.client.on('message', (data) => got.push(data))
    await until(() => got.length === 2, 'two events')
    expect(got).toEqual(['{"a":1}', 'line 1\nline 2'])
  })

  it("parses JSON with decode: 'json'; an empty payload is undefined", async () => {
    const got: unknown[] = []
    ctx.client = connect(ctx.stream(sse({ data: '{"a":[1,2]}' }), sse({ event: 'ping', data: '' }), sse({ data: '3' })), { decode: 'json', events: ['ping'] })
    ctx.client.onAny((message) => got.push([message.type, message.data]))
    await until(() => got.length === 3, 'three events')
    expect(got).toEqual([['message', { a: [1, 2] }], ['ping', undefined], ['message', 3]])
  })

  it('decodes with a function that sees the data and the event', async () => {
    const got: unknown[] = []
    ctx.client = connect<{ message: { upper: string; id: string } }>(ctx.stream(sse({ data: 'abc', id: '7' })), {
      decode: (data, event) => ({ upper: data.toUpperCase(), id: event.lastEventId }),
    })
    ctx.client.on('message', (data) => got.push(data))
    await until(() => got.length === 1, 'one event')
    expect(got).toEqual([{ upper: 'ABC', id: '7' }])
  })

  it('sends a decode failure to onError with the event, and the stream goes on', async () => {
    const got: unknown[] = []
    const errors: ErrorInfo[] = []
    ctx.client = connect(ctx.stream(sse({ data: '{broken', id: '1' }), sse({ data: '{"ok":true}', id: '2' })), {
      decode: 'json',
      onError: (info) => void errors.push(info),
    })
    ctx.client.on('message', (data) => got.push(data))
    await until(() => got.length === 1, 'the good event')
    expect(got).toEqual([{ ok: true }])
    expect(errors).toHaveLength(1)
    const error = errors[0]!.error as DecodeError
    expect(error).toMatchObject({ name: 'DecodeError', code: 'decode', type: 'message' })
    expect(error.message).toMatch(/"message" event could not be decoded/)
    expect(error.cause).toBeInstanceOf(SyntaxError)
    expect(error.event.data).toBe('{broken')
    expect(error.event.lastEventId).toBe('1')
    expect(errors[0]!.event).toBe(error.event)
    expect(isClientError(error)).toBe(true)
    expect(ctx.client.status).toBe('open')
    expect(ctx.client.lastEventId).toBe('2')
  })

  it('without onError, a decode failure is reported, not swallowed', async () => {
    const reported: unknown[] = []
    const original = console.error
    console.error = (error: unknown) => void reported.push(error)
    try {
      const got: unknown[] = []
      ctx.client = connect(ctx.stream(sse({ data: 'nope' }), sse({ data: '1' })), { decode: 'json' })
      ctx.client.on('message', (data) => got.push(data))
      await until(() => got.length === 1, 'the good event')
      expect(reported).toHaveLength(1)
      expect(reported[0]).toMatchObject({ name: 'DecodeError', code: 'decode' })
    } finally {
      console.error = original
    }
  })
})

describe('Standard Schema validators', () => {
  for (const [library, schemas] of [
    ['zod 4', { tick: z.number(), user: z.object({ name: z.string() }) }],
    ['valibot 1', { tick: v.number(), user: v.object({ name: v.string() }) }],
  ] as const) {
    it(`${library}: validates each event, sends a failure to onError with its issues, goes on`, async () => {
      const got: unknown[] = []
      const errors: ErrorInfo[] = []
      ctx.client = connect(
        ctx.stream(sse({ event: 'tick', data: '1' }), sse({ event: 'tick', data: '"two"', id: 'bad' }), sse({ event: 'user', data: '{"name":"ada"}' }), sse({ event: 'tick', data: '3' })),
        { schemas, onError: (info) => void errors.push(info) },
      )
      ctx.client.on('tick', (n) => got.push(n))
      ctx.client.on('user', (user) => got.push(user.name))
      await until(() => got.length === 3, 'three valid events')
      expect(got).toEqual([1, 'ada', 3])
      expect(errors).toHaveLength(1)
      const error = errors[0]!.error as DecodeError
      expect(error).toMatchObject({ name: 'DecodeError', code: 'validation', type: 'tick' })
      expect(error.event.data).toBe('"two"')
      expect(error.event.lastEventId).toBe('bad')
      expect(error.issues!.length).toBeGreaterThan(0)
      expect(error.message).toContain(error.issues![0]!.message)
    })
  }

  it('a schema transform is applied; events without a schema use the plain decoder', async () => {
    const got: unknown[] = []
    ctx.client = connect(ctx.stream(sse({ event: 'when', data: '"2026-01-01T00:00:00Z"' }), sse({ data: '{"x":1}' })), {
      schemas: { when: z.string().transform((s) => new Date(s).getUTCFullYear()) },
    })
    ctx.client.onAny((message) => got.push([message.type, message.data]))
    await until(() => got.length === 2, 'two events')
    expect(got).toEqual([['when', 2026], ['message', { x: 1 }]])
  })

  it('a schema that throws is a validation failure, not a crash', async () => {
    const errors: ErrorInfo[] = []
    const exploding: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: () => {
          throw new Error('boom')
        },
      },
    }
    const got: unknown[] = []
    ctx.client = connect(ctx.stream(sse({ event: 'x', data: '1' }), sse({ data: '2' })), { schemas: { x: exploding, message: z.number() }, onError: (info) => void errors.push(info) })
    ctx.client.on('message', (n) => got.push(n))
    await until(() => got.length === 1, 'the next event')
    expect(errors[0]!.error).toMatchObject({ name: 'DecodeError', code: 'validation', type: 'x' })
  })

  for (const answer of ['sync', 'async'] as const) {
    it(`a schema that answers no result (${answer}) is a validation failure, and the events behind it still arrive`, async () => {
      const errors: ErrorInfo[] = []
      // A schema library's bug, or an adapter that forgot its return.
      const broken = { '~standard': { version: 1, vendor: 'test', validate: () => (answer === 'sync' ? undefined : Promise.resolve(null)) } } as unknown as StandardSchemaV1<unknown, number>
      const got: unknown[] = []
      ctx.client = connect(ctx.stream(sse({ event: 'x', data: '1' }), sse({ data: '2' })), { schemas: { x: broken, message: z.number() }, onError: (info) => void errors.push(info) })
      ctx.client.on('message', (n) => got.push(n))
      await until(() => got.length === 1, 'the event behind it')
      expect(got).toEqual([2])
      expect(errors[0]!.error).toMatchObject({ name: 'DecodeError', code: 'validation', type: 'x' })
      expect(String((errors[0]!.error as DecodeError).cause)).toMatch(/validate\(\) gave (undefined|null), not a result/)
    })
  }

  it('async validation keeps the order of arrival, and sync events wait behind it', async () => {
    // Each event's validation resolves after a delay given in the event itself: later events
    // finish first, yet they must be delivered in the order they arrived.
    const slow: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) =>
          new Promise((resolve) => setTimeout(() => resolve(typeof value === 'number' && value > 0 ? { value } : { issues: [{ message: 'not positive' }] }), Number(value))),
      },
    }
    const got: unknown[] = []
    const errors: ErrorInfo[] = []
    ctx.client = connect(
      ctx.stream(sse({ event: 'n', data: '60' }), sse({ event: 'n', data: '30' }), sse({ event: 'n', data: '0' }), sse({ event: 'sync', data: '"s"' }), sse({ event: 'n', data: '1' })),
      { schemas: { n: slow, sync: z.string() }, onError: (info) => void errors.push(info) },
    )
    ctx.client.onAny((message) => got.push(message.data))
    await until(() => got.length === 4, 'four delivered events')
    expect(got).toEqual([60, 30, 's', 1])
    expect(errors.map((e) => e.event!.data)).toEqual(['0'])
  })

  it('async results that arrive after close() are dropped', async () => {
    let release: () => void = () => {}
    let validating = false
    const gate = new Promise<void>((resolve) => (release = resolve))
    const held: StandardSchemaV1<unknown, number> = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => {
          validating = true
          return gate.then(() => ({ value: value as number }))
        },
      },
    }
    const got: unknown[] = []
    const path = ctx.path()
    ctx.server.route(path, { body: [sse({ event: 'n', data: '1' })], hold: true })
    ctx.client = connect(ctx.server.url(path), { schemas: { n: held } })
    ctx.client.on('n', (value) => got.push(value))
    await until(() => validating, 'the event to arrive')
    ctx.client.close()
    release()
    await gate
    // Every promise reaction of the chain runs before the next macrotask.
    await new Promise((resolve) => setImmediate(resolve))
    expect(got).toEqual([])
  })
})
