import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser'

/** What a stream's parser reports to: the `EventSource` that made it (its private members, as the build renames them). */
export interface ParserOwner {
  state_: 0 | 1 | 2
  lastEventIdString_: string
  serverRetry_: number | undefined
  maxEventBytes_: number | undefined
  dispatchMessage_(eventType: string | undefined, data: string): void
  failTooLarge_(): void
}

const OPEN = 1

/**
 * "Interpret an event stream": eventsource-parser for a new stream (one that holds no partial
 * event), its blocks dispatched by `owner`, its ids and retry times kept while `owner` is open.
 */
export function createStreamParser(owner: ParserOwner): EventSourceParser {
  const parser = createParser({
    onEvent: (message) => owner.dispatchMessage_(message.event, message.data),
    // Dispatch step 1: the last event ID string takes the buffer's value, data or not.
    onId: (id) => {
      if (owner.state_ === OPEN) owner.lastEventIdString_ = id
    },
    onRetry: (retry) => {
      if (owner.state_ === OPEN) owner.serverRetry_ = retry
    },
    // Unknown fields and non-digit retry values are ignored, as the spec says; only the size guard fails.
    onError: (error: ParseError) => {
      if (error.type === 'max-buffer-size-exceeded') owner.failTooLarge_()
    },
    maxBufferSize: owner.maxEventBytes_,
  })
  // Transports decode with the spec's UTF-8 decode, which already drops one leading BOM; the parser
  // would drop a second one, so its own check is spent on a BOM of our making.
  parser.feed('\uFEFF')
  return parser
}

/**
 * Whether `chunk` is whole lines that are comments or blank (a heartbeat, a padding): before a
 * stream's first field they change nothing, so a stream that has sent only those (an idle one that
 * keeps its connection alive) needs no parser yet, which saves its memory (~1 KiB). Each line
 * consumes at least its own line break, so the test is linear in the chunk.
 */
export function onlyComments(chunk: string): boolean {
  return /^(?:(?::[^\n\r]*)?[\n\r])+$/.test(chunk)
}
