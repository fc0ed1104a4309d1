// `pnpm test:runtimes`: the client and the polyfill, as built and imported by name, in Bun and Deno
// (the binaries from this package's npm dependencies) against server.mjs on 127.0.0.1, with Node 20
// as the control that proves the checks. Runs checks.mjs in each runtime, then exit.mjs for each of
// the client and the polyfill: after close() the process must end by itself. Needs `pnpm build`.
// Ends with "runtimes: N passed, M failed[, K skipped]".
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { startServer } from './server.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
/** Each runtime's command line, up to the script; Deno with only the permissions the checks need. */
const runtimes = {
  node: [process.execPath],
  bun: [here('node_modules/@oven/bun-linux-x64/bin/bun')],
  deno: [here('node_modules/@deno/linux-x64-glibc/deno'), 'run', '--allow-net=127.0.0.1', '--allow-env=SSE_URL', '--allow-read'],
}
/** How long a process may take to exit after close(): generous for a loaded 2-core machine. */
const EXIT_WITHIN = 10_000

const counts = { passed: 0, failed: 0, skipped: 0 }
function report(line) {
  const kind = line.startsWith('ok ') ? 'passed' : line.startsWith('skip ') ? 'skipped' : 'failed'
  counts[kind]++
  console.log(`${{ passed: '✓', failed: '✗', skipped: '-' }[kind]} ${line.replace(/^(ok|not ok|skip) /, '')}`)
}

/** Runs one script; resolves with its output, exit code, and whether it outlived `timeout` (then killed). */
function run(command, args, env, timeout) {
  return new Promise((resolve) => {
    const child = spawn(command[0], [...command.slice(1), ...args], { env, cwd: here('.') })
    let output = ''
    child.stdout.on('data', (chunk) => (output += chunk))
    child.stderr.on('data', (chunk) => (output += chunk))
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeout)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ output, code, timedOut })
    })
  })
}

const server = await startServer()
// NODE_ENV=production: the builds these runtimes resolve check options whatever it says (checks.mjs).
const env = { ...process.env, SSE_URL: server.url, NO_COLOR: '1', NODE_ENV: 'production' }
try {
  for (const [name, command] of Object.entries(runtimes)) {
    if (!existsSync(command[0])) {
      report(`not ok ${name}: ${command[0]} is missing; run \`npx -y pnpm@10.34.9 install\``)
      continue
    }
    const version = (await run(command.slice(0, 1), ['--version'], env, EXIT_WITHIN)).output.split('\n')[0]
    console.log(`\n${name} ${version}${name === 'node' ? ' (the control)' : ''}`)
    const checks = await run(command, ['checks.mjs'], env, 120_000)
    const lines = checks.output.split('\n').filter((line) => /^(ok|not ok|skip) /.test(line))
    for (const line of lines) report(line.replace(/^(ok|not ok|skip) /, `$1 ${name}: `))
    if (checks.code !== 0 || lines.length === 0) report(`not ok ${name}: checks.mjs ended with ${checks.timedOut ? 'a timeout' : `code ${checks.code}`}\n${checks.output}`)
    for (const subject of ['client', 'polyfill']) {
      const started = performance.now()
      const exit = await run(command, ['exit.mjs', subject], env, EXIT_WITHIN)
      const ok = !exit.timedOut && exit.code === 0 && exit.output.trim() === 'closed'
      const detail = exit.timedOut ? `still running ${EXIT_WITHIN} ms after close()` : `code ${exit.code}, output ${JSON.stringify(exit.output.trim())}`
      report(`${ok ? 'ok' : 'not ok'} ${name}: ${subject} close() lets the process exit by itself (${Math.round(performance.now() - started)} ms)${ok ? '' : `: ${detail}`}`)
    }
  }
} finally {
  await server.close()
}
console.log(`runtimes: ${counts.passed} passed, ${counts.failed} failed${counts.skipped ? `, ${counts.skipped} skipped` : ''}`)
process.exitCode = counts.failed === 0 ? 0 : 1
