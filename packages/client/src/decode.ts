import type { StandardSchemaV1 } from '@standard-schema/spec'
import { DecodeError } from './errors.ts'
import type { SSEMessageEvent } from './types.ts'

/**
 * How an event's text becomes its data: `'text'` keeps the string, `'json'` parses it (an empty
 * payload gives `undefined`, for events that carry none), a function does what it likes.
 */
export type Decode<T = unknown> = 'text' | 'json' | ((data: string, event: SSEMessageEvent) => T)

/**
 * Validators by event type, anything that implements Standard Schema v1 (zod ≥ 3.24, valibot ≥ 1,
 * arktype ≥ 2, …). Each validates the decoded value of its event and gives the event's type.
 */
export type SchemaMap = { readonly [type: string]: StandardSchemaV1 }

/** The event map a {@link SchemaMap} describes: each event's data is its schema's output. */
export type EventsOf<Schemas extends SchemaMap> = { [K in keyof Schemas]: StandardSchemaV1.InferOutput<Schemas[K]> }

/** The outcome of decoding one event: its value, or why there is none. */
export type Decoded = { value: unknown; error?: undefined } | { error: DecodeError }

/** Decodes one event: at once for synchronous decoders and schemas, as a promise for async schemas. */
export type Decoder = (type: string, event: SSEMessageEvent) => Decoded | PromiseLike<Decoded>

const own = Object.prototype.hasOwnProperty

function parseJson(data: string): unknown {
  return data === '' ? undefined : JSON.parse(data)
}

/** A promise or anything awaitable like one: what an async schema's `validate` returns. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return !!value && typeof (value as { then?: unknown }).then === 'function'
}

/**
 * Builds the decoder for a client, or gives `undefined` when every event's data is its text as it
 * came (`'text'` and no schemas), so the client can hand the text on without an outcome per event.
 * Nothing here needs `Promise`: a schema that answers synchronously is handled synchronously, and
 * only an async schema's own promise is chained.
 */
export function createDecoder(decode: Decode | undefined, schemas: SchemaMap | undefined): Decoder | undefined {
  const chosen = decode || (schemas ? 'json' : 'text')
  const base = chosen === 'json' ? parseJson : chosen === 'text' ? undefined : chosen
  if (!base && !schemas) return undefined
  return (type, event) => {
    let value: unknown = event.data
    if (base) {
      try {
        value = base(event.data, event)
      } catch (cause) {
        return { error: new DecodeError('decode', type, event, undefined, cause) }
      }
    }
    // Own properties only: an event named `constructor` or `toString` has no schema by inheritance.
    const schema = schemas && own.call(schemas, type) ? schemas[type] : undefined
    if (!schema) return { value }
    const reject = (cause: unknown): Decoded => ({ error: new DecodeError('validation', type, event, undefined, cause) })
    // A result that is no object would throw here, out of event handling, or stall every event queued behind an async one.
    const settle = (result: StandardSchemaV1.Result<unknown>): Decoded =>
      !result || typeof result !== 'object'
        ? reject(new TypeError(`the schema's validate() gave ${String(result)}, not a result`))
        : result.issues
          ? { error: new DecodeError('validation', type, event, result.issues) }
          : { value: result.value }
    let result: StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>
    try {
      result = schema['~standard'].validate(value)
    } catch (cause) {
      return reject(cause)
    }
    return isThenable(result) ? result.then(settle, reject) : settle(result)
  }
}
