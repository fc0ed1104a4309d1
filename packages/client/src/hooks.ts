import { ListenerError, type DecodeError } from './errors.ts'
import type { Options } from './options.ts'
import type { SSEMessageEvent } from './types.ts'

declare const reportError: ((error: unknown) => void) | undefined

/** The lifecycle hooks of the options. */
export type Hook = 'onOpen' | 'onReconnecting' | 'onGiveUp' | 'onError' | 'onClose'

/** How a client calls its hooks and reports what went wrong. */
export interface Hooks {
  /** Calls hook `name` with `info`, if given; what it throws is reported, never thrown. Returns what it returned. */
  call(name: Hook, info: object): unknown
  /** Hands an error to `onError`, or else to the platform: never silence. */
  report(error: DecodeError | ListenerError, event: SSEMessageEvent | undefined): void
}

/** The last resort for an error with no `onError` to go to: the platform's, never silence. */
export function reportUnhandled(error: unknown): void {
  if (typeof reportError === 'function') reportError(error)
  else if (typeof console !== 'undefined' && console.error) console.error(error)
}

/** The hooks of `o`: a hook that throws is reported as a `ListenerError`; `onError` that throws, to the platform. */
export function createHooks(o: Options): Hooks {
  const hooks: Hooks = {
    call(name, info) {
      const hook = o[name] as ((info: object) => unknown) | undefined
      try {
        return hook && hook(info)
      } catch (error) {
        if (name === 'onError') reportUnhandled(error)
        else hooks.report(new ListenerError(name, error), undefined)
      }
    },
    report: (error, event) => (o.onError ? hooks.call('onError', { error, event }) : reportUnhandled(error)),
  }
  return hooks
}
