// Runs a benchmark module in a child process and resolves with the first message it sends.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * Forks `bench/lib/<file>` with `--expose-gc` and the job as BENCH_JOB; resolves with the child's
 * message (with `waitExit`, only once the child has exited: `--cpu-prof` writes its file on exit),
 * or `{ ok: false, error }` if it exits or stays silent past `timeout` ms.
 */
export function runChild(file, job, { execPath = process.execPath, execArgv = [], timeout = 120_000, waitExit = false } = {}) {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(new URL(file, import.meta.url)), [], {
      execPath,
      execArgv: ['--expose-gc', ...execArgv],
      env: { ...process.env, BENCH_JOB: JSON.stringify({ ...job, timeout }) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    let stderr = ''
    let settled = false
    const settle = (value) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(value)
    }
    child.stderr.on('data', (chunk) => (stderr += chunk))
    let received
    child.once('message', (message) => (waitExit ? (received = message) : settle(message)))
    child.once('close', (code, signal) => setImmediate(() => settle(received || { ok: false, error: `exited (${signal || code}) without a result${stderr ? `: ${stderr.trim().split('\n').slice(-3).join(' | ')}` : ''}` })))
    // A hard stop a little after the child's own timeout, for a child too stuck to report.
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      settle({ ok: false, error: `killed after ${timeout + 5000} ms` })
    }, timeout + 5000)
  })
}

/**
 * Forks the benchmark's server (bench/lib/server.mjs) with the fixtures of `workloads` at `scale`,
 * and `extra` ones (served name → [workload, scale factor, …]) and static files from `staticDir`, if
 * given; resolves once they are built with `{ process, origin, expected }`.
 */
export function startServer({ scale, workloads, extra = {}, staticDir = '' }) {
  return new Promise((resolve, reject) => {
    const server = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [], {
      env: { ...process.env, BENCH_SCALE: String(scale), BENCH_WORKLOADS: workloads.join(','), BENCH_EXTRA_WORKLOADS: JSON.stringify(extra), BENCH_STATIC: staticDir },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    server.once('message', (message) => resolve({ process: server, ...message }))
    server.once('exit', (code) => reject(new Error(`the benchmark server exited (${code}) before it was ready`)))
  })
}
