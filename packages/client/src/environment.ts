// Browser signals, read defensively: Node, workers and old browsers lack some or all of these.
interface Target {
  addEventListener(type: string, listener: () => void): void
  removeEventListener(type: string, listener: () => void): void
}

declare const window: Target | undefined
declare const self: Target | undefined
declare const document: (Target & { visibilityState?: string; hidden?: boolean }) | undefined
declare const navigator: { onLine?: boolean } | undefined

function usable(target: Target | undefined): target is Target {
  return !!target && typeof target.addEventListener === 'function' && typeof target.removeEventListener === 'function'
}

/** The scope that fires `online`/`offline`: the window, or a worker's global. */
function networkScope(): Target | undefined {
  if (typeof window !== 'undefined' && usable(window)) return window
  if (typeof self !== 'undefined' && usable(self)) return self
  return undefined
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

/** What the client does when the browser's state changes. */
export interface EnvironmentHandlers {
  online(): void
  offline(): void
  /** Called on every `visibilitychange`; read {@link isHidden} for the new state. */
  visibility(): void
}

/** Listens to `online`/`offline` (and `visibilitychange` when asked); returns the function that stops. */
export function watchEnvironment(handlers: EnvironmentHandlers, watchVisibility: boolean): () => void {
  const scope = networkScope()
  const doc = watchVisibility && typeof document !== 'undefined' && usable(document) ? document : undefined
  const online = () => handlers.online()
  const offline = () => handlers.offline()
  const visibility = () => handlers.visibility()
  if (scope) {
    scope.addEventListener('online', online)
    scope.addEventListener('offline', offline)
  }
  if (doc) doc.addEventListener('visibilitychange', visibility)
  return () => {
    if (scope) {
      scope.removeEventListener('online', online)
      scope.removeEventListener('offline', offline)
    }
    if (doc) doc.removeEventListener('visibilitychange', visibility)
  }
}
