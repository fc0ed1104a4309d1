// Entry of the script-tag bundle: installs `EventSource` where it is missing and exposes the whole
// public surface on the bundle's global.
import './auto.ts'

export * from './index.ts'
