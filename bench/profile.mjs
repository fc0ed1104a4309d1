// CPU profiles (`node --cpu-prof`) of the polyfill on the tokens and custom-events workloads: runs the
// benchmark's worker under the profiler, keeps only the samples of the timed window, and prints where
// the time goes (self time by function, inclusive time of the functions on the per-event path, and
// by module). Writes bench/profile-<node version>.md; the raw .cpuprofile files go to bench/.out/profiles.
//   node bench/profile.mjs   (BENCH_SCALE; BENCH_PROFILE_WORKLOADS=json,multiline,…; BENCH_PROFILE_ROWS=polyfill,client,…; BENCH_PROFILE_NODE=path of
//                             another Node binary to profile on, e.g. tools/node24's)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runChild, startServer } from './lib/child.mjs'
import { analyse, section } from './lib/cpu-profile.mjs'
import { resolveTargets } from './lib/targets.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const WORKLOADS = (process.env.BENCH_PROFILE_WORKLOADS || 'tokens,custom').split(',')
const rows = (process.env.BENCH_PROFILE_ROWS || 'polyfill').split(',')
const scale = process.env.BENCH_SCALE || '1'
const dir = here('./.out/profiles/')
const execPath = process.env.BENCH_PROFILE_NODE || process.execPath

async function main() {
  mkdirSync(dir, { recursive: true })
  const targets = await resolveTargets()
  const server = await startServer({ scale, workloads: WORKLOADS })
  const { execFileSync } = await import('node:child_process')
  const version = execFileSync(execPath, ['--version'], { encoding: 'utf8' }).trim()
  const out = ['# CPU profiles', '', `Node ${version}, scale ${scale}, builds from ${targets.source}; \`node --cpu-prof --cpu-prof-interval 50\`, samples outside the timed run (imports, warm-up) left out.`, '']
  try {
    for (const row of rows) {
      for (const workload of WORKLOADS) {
        const name = `${workload}-${row}-${version}.cpuprofile`
        const message = await runChild(
          './worker.mjs',
          { row, url: `${server.origin}/w/${workload}`, ping: `${server.origin}/ping`, type: server.expected[workload].type, modules: targets.modules },
          { execPath, execArgv: ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name, '--cpu-prof-interval', '50'], waitExit: true },
        )
        if (!message.ok) throw new Error(`${row} on ${workload}: ${message.error}`)
        const profile = JSON.parse(readFileSync(`${dir}${name}`, 'utf8'))
        const analysis = analyse(profile, message.windowUs)
        process.stderr.write(`${row} on ${workload}: ${message.ms.toFixed(1)} ms, ${analysis.samples} samples\n`)
        out.push(...section(`${row} on ${workload} (${message.ms.toFixed(1)} ms under the profiler; raw: bench/.out/profiles/${name})`, analysis))
      }
    }
  } finally {
    server.process.kill()
  }
  const markdown = `${out.join('\n')}\n`
  writeFileSync(here(`./profile-${version}.md`), markdown)
  process.stdout.write(markdown)
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
