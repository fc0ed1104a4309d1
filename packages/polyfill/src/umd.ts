// Entry of the script-tag bundle: the legacy platform, then `EventSource` installed where it is
// missing, and the whole public surface on the bundle's global.
import './install-legacy.ts'
import './auto.ts'

export * from './legacy.ts'
