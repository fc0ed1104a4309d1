import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { DisconnectCause } from './reconnect.ts'
import type { SSEMessageEvent } from './types.ts'

/** What went wrong in the client, as a discriminant a program can switch on. */
export type ClientErrorCode =
  /** The `decode` step threw (for example `JSON.parse` on text that is not JSON). */
  | 'decode'
  /** The event's schema rejected the decoded value; `issues` says why. */
  | 'validation'
  /** A listener, an iterator consumer's hook or a lifecycle hook threw. */
  | 'listener'
  /** The reconnection policy, or `onReconnecting`, decided to stop: the client is closed. */
  | 'gave-up'

const describe = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))

/**
 * Base class of the client's errors. Check `name` or use {@link isClientError}: `instanceof` fails
 * across realms and between two copies of the package.
 */
export class ClientError extends Error {
  readonly code: ClientErrorCode

  constructor(code: ClientErrorCode, message: string, cause?: unknown) {
    super('ssekit: ' + message)
    this.code = code
    if (cause !== undefined) (this as { cause?: unknown }).cause = cause
  }
}

/** One event could not be decoded or failed its schema; the stream goes on without it. */
export class DecodeError extends ClientError {
  override readonly name = 'DecodeError' as const
  declare readonly code: 'decode' | 'validation'
  /** The event type (`message` for unnamed events). */
  readonly type: string
  /** The raw event that failed; `event.data` is the text the server sent. */
  readonly event: SSEMessageEvent
  /** What the schema reported, for `validation`. */
  readonly issues: ReadonlyArray<StandardSchemaV1.Issue> | undefined

  constructor(code: 'decode' | 'validation', type: string, event: SSEMessageEvent, issues?: ReadonlyArray<StandardSchemaV1.Issue>, cause?: unknown) {
    const detail = issues ? issues.map((issue) => issue.message).join('; ') : describe(cause)
    super(code, `the "${type}" event ${code === 'decode' ? 'could not be decoded' : 'failed its schema'}: ${detail}`, cause)
    this.type = type
    this.event = event
    this.issues = issues
  }
}

/** A listener or hook threw; the others still ran. `cause` is what it threw. */
export class ListenerError extends ClientError {
  override readonly name = 'ListenerError' as const
  declare readonly code: 'listener'
  /** The event type whose listener threw, or the hook's name (`onOpen`, …). */
  readonly type: string

  constructor(type: string, cause: unknown) {
    super('listener', `a listener for "${type}" threw: ${describe(cause)}`, cause)
    this.type = type
  }
}

/**
 * The client stopped reconnecting; `cause` is the backend's last error where it gave one (the
 * polyfill's `EventSourceError`, say).
 */
export class ConnectionError extends ClientError {
  override readonly name = 'ConnectionError' as const
  declare readonly code: 'gave-up'
  /** The HTTP status of the last failed attempt, where the backend reports it. */
  readonly status: number | undefined
  /** The start of the last failed response's body (at most 64 KiB), where the backend reports it: what the server said went wrong. */
  readonly body: string | undefined
  /** The reconnection attempt that was refused (1 for the first reconnection). */
  readonly attempt: number

  constructor(message: string, attempt: number, disconnect: DisconnectCause) {
    super('gave-up', message, disconnect.error)
    this.attempt = attempt
    this.status = disconnect.status
    this.body = disconnect.body
  }
}

/** True for any of the client's errors, also one from another realm or another copy of the package. */
export function isClientError(value: unknown): value is DecodeError | ListenerError | ConnectionError {
  return value instanceof ClientError || (value instanceof Error && 'code' in value && /^(Decode|Listener|Connection)Error$/.test(value.name))
}
