// Runs one vitest project and ends with a count line, "LABEL: N passed, M failed[, K skipped]".
// Usage: node test/run-vitest.mjs node|jsdom|chromium [more vitest args]
// Also imported by run-node-release.mjs, which runs the node project on the Node 22 or 24 binary.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const vitest = join(root, 'node_modules/vitest/vitest.mjs')

/** Where the browser suite expects Debian's Chromium; the message says how to get it. */
export const chromiumPath = '/usr/bin/chromium'
export const chromiumMissing =
  `Chromium is missing at ${chromiumPath}; the browser suite drives Debian's package. Install it (as root) with\n` +
  '  apt-get update && apt-get install -y chromium\n' +
  'or run `bash .ci/run`, which installs it when missing.'

/**
 * Runs `vitest run --project PROJECT` with `node` (default: this process's Node), prints vitest's
 * own report and then the count line, and resolves to vitest's exit code.
 */
export function runVitest({ label, project, node = process.execPath, env = process.env, args = [] }) {
  const report = join(tmpdir(), `ssekit-vitest-${label}-${process.pid}.json`)
  const child = spawn(node, [vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], {
    cwd: root,
    env,
    stdio: 'inherit',
  })
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      let counts = 'no report written'
      if (existsSync(report)) {
        const result = JSON.parse(readFileSync(report, 'utf8'))
        rmSync(report, { force: true })
        const skipped = result.numPendingTests + result.numTodoTests
        counts = `${result.numPassedTests} passed, ${result.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`
        if (result.numTotalTests === 0) counts += ' (no tests ran)'
      }
      console.log(`${label}: ${counts}`)
      resolve(code ?? (signal ? 1 : 0))
    })
  })
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [project, ...args] = process.argv.slice(2)
  if (!project) {
    console.error('usage: node test/run-vitest.mjs node|jsdom|chromium [vitest args]')
    process.exit(2)
  }
  if (project === 'chromium' && !existsSync(chromiumPath)) {
    console.error(chromiumMissing)
    console.log('chromium: 0 passed, 1 failed (Chromium not installed)')
    process.exit(1)
  }
  process.exitCode = await runVitest({ label: project, project, args })
}
