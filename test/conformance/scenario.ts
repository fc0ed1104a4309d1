import type { ScriptedServer } from '../server/scripted-server.ts'
import type { ClientProgram, EventEntry, LogEntry } from './client-kit.ts'

/**
 * The kinds of runtime a scenario can run on. A scenario that one of them cannot pass says so in
 * `skip`, with the reason; nothing is skipped silently.
 */
export type EnvKind = 'polyfill-fetch' | 'polyfill-xhr' | 'polyfill-node' | 'node24-native' | 'chromium-native' | 'chromium-polyfill'

/** Facts about an environment that decide whether a scenario applies at all. */
export interface EnvFeatures {
  /** There is a `document` whose base URL relative URLs resolve against. */
  document: boolean
}

/** What a scenario's check gets. */
export interface ScenarioResult {
  log: LogEntry[]
  /** What the program passed to `done()`. */
  value: unknown
  /** The main server (the document's origin where there is one). */
  a: ScriptedServer
  /** A second server on another port: another origin. */
  b: ScriptedServer
  env: { kind: EnvKind; name: string }
}

/** One conformance scenario: what the servers answer, what the client does, what must be seen. */
export interface Scenario {
  /** Test title: the behaviour, in the spec's words where it has some. */
  name: string
  /** Installs the routes on the two servers. */
  serve?(servers: { a: ScriptedServer; b: ScriptedServer }): void
  /** The client program (self-contained: see `client-kit.ts`). */
  client: ClientProgram
  /** Assertions on the log and on what the servers saw; may wait for server-side conditions. */
  check(result: ScenarioResult): void | Promise<void>
  /** Environment facts the scenario needs (it does not apply elsewhere). */
  needs?: Partial<EnvFeatures>
  /** Environments that legitimately differ, each with the reason (shown in the test title). */
  skip?: Partial<Record<EnvKind, string>>
  /** Client timeout in ms. @default 5000 */
  timeout?: number
}

/** Identity function that types a scenario list. */
export function scenarios(list: Scenario[]): Scenario[] {
  return list
}

function isEvent(entry: LogEntry): entry is EventEntry {
  return entry.kind === 'event'
}

/**
 * The log as short lines, easy to compare whole: `open(1)`, `message(1) "a"`, `error(0)`, notes
 * verbatim. The number is `readyState` when the event was dispatched. With `ids`, message-like
 * events also show their `lastEventId` (`message(1) "a" #"7"`).
 */
export function lines(log: LogEntry[], options: { ids?: boolean } = {}): string[] {
  const out: string[] = []
  for (const entry of log) {
    if (entry.kind === 'note') out.push(entry.text)
    else if (isEvent(entry)) {
      let line = `${entry.type}(${entry.readyState})`
      if (entry.data !== undefined) line += ` ${JSON.stringify(entry.data)}`
      if (options.ids && entry.data !== undefined) line += ` #${JSON.stringify(entry.lastEventId)}`
      out.push(line)
    }
  }
  return out
}

/** The recorded events (no notes or values). */
export function events(log: LogEntry[]): EventEntry[] {
  return log.filter(isEvent)
}

/** The structured values logged with `ctx.log()`. */
export function values(log: LogEntry[]): unknown[] {
  const out: unknown[] = []
  for (const entry of log) if (entry.kind === 'value') out.push(entry.value)
  return out
}

/** Polls `check` every 5 ms until it holds; rejects with `what` after `timeout` ms. */
export async function waitFor(check: () => boolean, what: string, timeout = 3000): Promise<void> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeout) throw new Error(`timed out after ${timeout} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
