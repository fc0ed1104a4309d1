// Browser signals, read defensively: Node, workers and old browsers lack some or all of these.
interface Target {
  addEventListener(type: string, listener: (event: Event) => void): void
  removeEventListener(type: string, listener: (event: Event) => void): void
}

declare const window: Target | undefined
declare const self: Target | undefined
declare const document: (Target & { visibilityState?: string; hidden?: boolean }) | undefined
declare const navigator: { onLine?: boolean } | undefined

function usable<T extends Target>(target: T | false | undefined): T | undefined {
  return target && typeof target.addEventListener === 'function' ? target : undefined
}

/** True only when the platform says it is offline (`navigator.onLine === false`); unknown means online. */
export function isOffline(): boolean {
  return typeof navigator !== 'undefined' && !!navigator && navigator.onLine === false
}

/** True only when a document says it is hidden. */
export function isHidden(): boolean {
  if (typeof document === 'undefined' || !document) return false
  return document.visibilityState === 'hidden' || (document.visibilityState === undefined && document.hidden === true)
}

const scopeOf = () => usable(typeof window !== 'undefined' && window) || usable(typeof self !== 'undefined' && self)
const docOf = (visibility: boolean) => (visibility ? usable(typeof document !== 'undefined' && document) : undefined)

/**
 * Calls `onChange` with the type of each `online`/`offline` event of the window (or a worker's
 * global), and of each `visibilitychange` of the document when `visibility` is asked for; read
 * {@link isHidden} for the new state. Returns the function that stops, or undefined where there is
 * nothing to watch (Node): then the client holds no watcher at all.
 */
export function watchEnvironment(onChange: (type: string) => void, visibility: boolean): (() => void) | undefined {
  const scope = scopeOf()
  const doc = docOf(visibility)
  if (!scope && !doc) return undefined
  const listener = (event: Event) => onChange(event.type)
  const each = (method: 'addEventListener' | 'removeEventListener') => {
    if (scope) {
      scope[method]('online', listener)
      scope[method]('offline', listener)
    }
    if (doc) doc[method]('visibilitychange', listener)
  }
  each('addEventListener')
  return () => each('removeEventListener')
}
