import { isEventSourceError, type EventSourceError } from './errors.ts'
import type { TransportHandlers, TransportResponse } from './transport/types.ts'

/** What an attempt reports to: the `EventSource` that made it (its private members, as the build renames them). */
export interface AttemptOwner {
  connection_: number
  state_: 0 | 1 | 2
  abortRequest_: (() => void) | undefined
  processResponse_(response: TransportResponse): void
  receive_(chunk: string): void
  ended_(reason: 'eof' | 'recycle'): void
  broke_(error: EventSourceError | undefined, cause: unknown): void
}

/**
 * What a transport reports one attempt's progress to: one small object per attempt, its methods on
 * the prototype. Reports from an attempt that is no longer its source's current one, or after the
 * source closed, are ignored.
 */
export class Attempt implements TransportHandlers {
  constructor(
    private readonly source_: AttemptOwner,
    private readonly connection_: number,
  ) {}

  active(): boolean {
    return this.connection_ === this.source_.connection_ && this.source_.state_ !== 2
  }

  response(response: TransportResponse): void {
    if (this.active()) this.source_.processResponse_(response)
  }

  text(chunk: string): void {
    if (this.active()) this.source_.receive_(chunk)
  }

  end(reason: 'eof' | 'recycle'): void {
    if (!this.active()) return
    this.source_.abortRequest_ = undefined
    this.source_.ended_(reason)
  }

  error(cause: unknown): void {
    if (!this.active()) return
    this.source_.abortRequest_ = undefined
    // By name, not instanceof: a piece from another copy of the package (the client's script tag, say) makes its own.
    this.source_.broke_(isEventSourceError(cause) ? cause : undefined, cause)
  }
}
