/**
 * The client side of a conformance scenario: a program that drives an `EventSource` and writes a
 * log. Programs and {@link executeClient} are self-contained ES5 functions — they use nothing but
 * their arguments and the platform — so a browser harness can ship their source text into a page
 * (`page.evaluate`) and run exactly what Node runs.
 */

/** What a client program is given; the same object in Node, jsdom and a browser page. */
export interface ClientContext {
  /** The constructor under test (native, or the polyfill). */
  EventSource: EventSourceConstructor
  /** The polyfill's exports in this realm (`withRequest`, `xhrTransport`, …), where the constructor is the polyfill. */
  polyfill: Record<string, any> | undefined
  /** The transport the environment forces on every source (its `options.transport`), or undefined for the default. */
  transport: unknown
  /** Origin of the scenario's main server, e.g. `http://127.0.0.1:4321`; the document's origin where there is one. */
  base: string
  /** Origin of the second server (another port, so another origin). */
  base2: string
  /** `new EventSource(url, init)` with the environment's options merged under `init`; closed at teardown. */
  open(url: string, init?: Record<string, unknown>): EventSourceLike
  /** Logs every event of `types` (default open, message, error) as an {@link EventEntry}. */
  record(source: EventSourceLike, types?: string[]): void
  /** Adds a line of text to the log (shown among the events by `lines()`). */
  note(text: string): void
  /** Adds a structured value to the log (not shown by `lines()`; read it with `values()`). */
  log(value: unknown): void
  /**
   * Runs `fn` after `ms`: only for negative checks ("nothing more happens"), which have no event
   * to wait for. Positive conditions wait for the event itself.
   */
  quiet(ms: number, fn: () => void): void
  /** Wraps a listener so that an exception in it fails the scenario instead of getting lost. */
  guard<F extends (...args: any[]) => any>(fn: F): F
  /** Ends the program successfully, with an optional JSON-able value. */
  done(value?: unknown): void
  /** Closes `source` and ends the program (as `done()`) at its first message whose data is `END`. */
  endAt(source: EventSourceLike): void
  /** Ends the program with a failure message. */
  fail(message: string): void
}

/** The structural shape of an `EventSource` instance, as client programs use it. */
export interface EventSourceLike {
  readonly url: string
  readonly readyState: number
  readonly withCredentials: boolean
  readonly CONNECTING: number
  readonly OPEN: number
  readonly CLOSED: number
  onopen: ((event: any) => unknown) | null
  onmessage: ((event: any) => unknown) | null
  onerror: ((event: any) => unknown) | null
  addEventListener(type: string, listener: (event: any) => unknown): void
  removeEventListener(type: string, listener: (event: any) => unknown): void
  dispatchEvent(event: any): boolean
  close(): void
}

/** Any `EventSource` constructor: the platform's, or one that takes extra options. */
export interface EventSourceConstructor {
  new (url: string, init?: any): EventSourceLike
  readonly CONNECTING: number
  readonly OPEN: number
  readonly CLOSED: number
  readonly prototype: EventSourceLike
}

/** A client program: self-contained, it may only use `ctx` and the platform's globals. */
export type ClientProgram = (ctx: ClientContext) => void

/** One event as `record()` saw it; `readyState` is the source's at dispatch time. */
export interface EventEntry {
  kind: 'event'
  type: string
  readyState: number
  data?: unknown
  lastEventId?: string
  origin?: string
  /** `event instanceof MessageEvent` where the platform has a `MessageEvent` constructor. */
  isMessageEvent: boolean
  bubbles: boolean
  cancelable: boolean
  /** `event.target === source` */
  atTarget: boolean
}

/** One log entry of a client program. */
export type LogEntry = EventEntry | { kind: 'note'; text: string } | { kind: 'value'; value: unknown }

/** What a client program produced. */
export interface ClientOutcome {
  log: LogEntry[]
  value: unknown
  /** The failure message (`fail()`, or an exception in the program or a guarded listener). */
  error: string | null
  timedOut: boolean
}

/** JSON-able arguments of one run. */
export interface ClientArgs {
  base: string
  base2: string
  /**
   * Options the environment needs on every source, or null. A string `transport` names one of the
   * polyfill's exports (`{ transport: 'xhrTransport' }`): functions do not cross into a page.
   */
  options: Record<string, unknown> | null
  /** Give up after this many ms. */
  timeout: number
}

/** Control over a running client program. */
export interface ClientHandle {
  /** Closes every source the program opened (teardown). */
  closeAll(): void
}

/**
 * Runs a client program and calls `finish` once with its outcome. Self-contained ES5 (no
 * Promise, arrow, `let`, spread or template literal), so its source text runs in any page:
 *
 * @example
 * // in a page, with both sources shipped as strings:
 * var run = (0, eval)('(' + kitSource + ')')
 * window.__handle = run(window.EventSource, programSource, args, function (outcome) { report(outcome) })
 */
export function executeClient(
  EventSourceCtor: EventSourceConstructor,
  program: ClientProgram | string,
  args: ClientArgs,
  finish: (outcome: ClientOutcome) => void,
  exports?: Record<string, any>,
): ClientHandle {
  var log: LogEntry[] = []
  var envOptions: Record<string, unknown> | null = null
  if (args.options) {
    envOptions = {}
    for (var name in args.options) envOptions[name] = args.options[name]
    if (typeof envOptions.transport === 'string') envOptions.transport = exports![envOptions.transport]
  }
  var sources: EventSourceLike[] = []
  var finished = false
  var timer = setTimeout(function () {
    end(null, 'timed out after ' + args.timeout + ' ms', true)
  }, args.timeout)

  // Property values are never bare same-named variables: esbuild would emit ES2015 shorthand.
  function end(value: unknown, failure: string | null, late: boolean): void {
    if (finished) return
    finished = true
    clearTimeout(timer)
    finish({ log: log.slice(), value: value === undefined ? null : value, error: failure, timedOut: late })
  }

  function describeError(error: any): string {
    return error && error.name ? error.name + ': ' + error.message : String(error)
  }

  function wrap(fn: any): any {
    return function (this: unknown) {
      try {
        return fn.apply(this, arguments)
      } catch (error) {
        end(null, describeError(error), false)
      }
    }
  }

  function describeEvent(source: EventSourceLike, event: any): EventEntry {
    var entry: EventEntry = {
      kind: 'event',
      type: event.type,
      readyState: source.readyState,
      isMessageEvent: typeof MessageEvent === 'function' && event instanceof MessageEvent,
      bubbles: !!event.bubbles,
      cancelable: !!event.cancelable,
      atTarget: event.target === source,
    }
    if (event.data !== undefined) entry.data = event.data
    if (event.lastEventId !== undefined) entry.lastEventId = event.lastEventId
    if (event.origin !== undefined) entry.origin = event.origin
    return entry
  }

  function merged(init: Record<string, unknown> | undefined): Record<string, unknown> {
    var out: Record<string, unknown> = {}
    var key
    if (envOptions) for (key in envOptions) out[key] = envOptions[key]
    if (init) for (key in init) out[key] = init[key]
    return out
  }

  var ctx: ClientContext = {
    EventSource: EventSourceCtor,
    polyfill: exports,
    transport: envOptions ? envOptions.transport : undefined,
    base: args.base,
    base2: args.base2,
    open: function (url, init) {
      // A source opened with one argument stays a one-argument call, as a page would make it.
      var source = init || envOptions ? new EventSourceCtor(url, merged(init)) : new EventSourceCtor(url)
      sources.push(source)
      return source
    },
    record: function (source, types) {
      var list = types || ['open', 'message', 'error']
      for (var i = 0; i < list.length; i++) {
        source.addEventListener(list[i]!, function (event) {
          log.push(describeEvent(source, event))
        })
      }
    },
    note: function (text) {
      log.push({ kind: 'note', text: String(text) })
    },
    log: function (logged) {
      log.push({ kind: 'value', value: logged })
    },
    quiet: function (ms, fn) {
      setTimeout(wrap(fn), ms)
    },
    guard: wrap,
    done: function (value) {
      end(value, null, false)
    },
    endAt: function (source) {
      source.addEventListener('message', function (event) {
        if (event.data !== 'END') return
        source.close()
        end(undefined, null, false)
      })
    },
    fail: function (message) {
      end(null, String(message), false)
    },
  }

  var run: ClientProgram = typeof program === 'string' ? (0, eval)('(' + program + ')') : program
  try {
    run(ctx)
  } catch (error) {
    end(null, describeError(error), false)
  }

  return {
    closeAll: function () {
      for (var i = 0; i < sources.length; i++) {
        try {
          sources[i]!.close()
        } catch (_) {
          // A broken close() is a scenario's finding, not teardown's.
        }
      }
    },
  }
}
