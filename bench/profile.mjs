// CPU profiles (`node --cpu-prof`) of the polyfill on the tokens and custom-events workloads: runs the
// benchmark's worker under the profiler, keeps only the samples of the timed window, and prints where
// the time goes (self time by function, inclusive time of the functions on the per-event path, and
// by module). Writes bench/profile-<node version>.md; the raw .cpuprofile files go to bench/.out/profiles.
//   node bench/profile.mjs   (BENCH_SCALE; BENCH_PROFILE_WORKLOADS=json,multiline,…; BENCH_PROFILE_ROWS=polyfill,client,…; BENCH_PROFILE_NODE=path of
//                             another Node binary to profile on, e.g. tools/node24's)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { runChild, startServer } from './lib/child.mjs'
import { resolveTargets } from './lib/targets.mjs'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const WORKLOADS = (process.env.BENCH_PROFILE_WORKLOADS || 'tokens,custom').split(',')
const rows = (process.env.BENCH_PROFILE_ROWS || 'polyfill').split(',')
const scale = process.env.BENCH_SCALE || '1'
const dir = here('./.out/profiles/')
const execPath = process.env.BENCH_PROFILE_NODE || process.execPath

/** Where a frame's code lives, in words a reader recognises. */
function moduleOf(url, name) {
  if (!url) return name.startsWith('(') ? name : '(native/V8 builtins)'
  if (url.includes('eventsource-parser')) return 'eventsource-parser'
  // Our builds run from packages/*/dist, their copies in bench/.out/snapshot, or bench/.out/*.mjs.
  if (/\/packages\/polyfill\/|\/\.out\/(snapshot\/)?polyfill/.test(url)) return '@ssekit/polyfill'
  if (/\/packages\/client\/|\/\.out\/(snapshot\/)?client/.test(url)) return '@ssekit/client'
  if (url.includes('eventsource')) return 'eventsource'
  if (url.includes('/bench/lib/')) return 'bench harness (listener, checksum)'
  if (url.startsWith('node:internal/deps/undici')) return 'node: undici (fetch; on Node 22+ also MessageEvent and its WebIDL checks)'
  if (url.startsWith('node:internal/webstreams')) return 'node: web streams'
  if (url.startsWith('node:internal/event_target') || url.startsWith('node:internal/worker/io')) return 'node: EventTarget/Event/MessageEvent'
  if (url.startsWith('node:')) return `node: ${url.slice(5).split('/').slice(0, 2).join('/')}`
  return url
}

/** Self and inclusive time per function, and self time per module, from the samples inside `window`. */
function analyse(profile, window) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children || []) parent.set(child, node.id)
  const key = (node) => {
    const { functionName, url, lineNumber } = node.callFrame
    const file = url ? url.split('/').slice(-1)[0] : ''
    return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim()
  }
  const self = new Map()
  const inclusive = new Map()
  const modules = new Map()
  let total = 0
  let at = profile.startTime
  let inWindow = 0
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]
    const delta = profile.timeDeltas[i + 1] ?? 0
    if (window && (at < window[0] || at > window[1])) continue
    inWindow++
    const node = byId.get(profile.samples[i])
    total += delta
    self.set(key(node), (self.get(key(node)) || 0) + delta)
    const mod = moduleOf(node.callFrame.url, node.callFrame.functionName)
    modules.set(mod, (modules.get(mod) || 0) + delta)
    const seen = new Set()
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      const k = key(byId.get(id))
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) || 0) + delta)
    }
  }
  const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n)
  return { total, samples: inWindow, self: top(self, 25), inclusive: top(inclusive, 40), modules: top(modules, 15) }
}

function section(title, analysis) {
  const pct = (us) => `${((us / analysis.total) * 100).toFixed(1)}%`
  const ms = (us) => `${(us / 1000).toFixed(1)} ms`
  const out = [`### ${title}`, '', `${analysis.samples} samples, ${ms(analysis.total)} in the timed window.`, '']
  out.push('Self time by module:', '', '| module | self | share |', '|---|---:|---:|')
  for (const [name, us] of analysis.modules) out.push(`| ${name} | ${ms(us)} | ${pct(us)} |`)
  out.push('', 'Top functions by self time:', '', '| function | self | share |', '|---|---:|---:|')
  for (const [name, us] of analysis.self) out.push(`| \`${name}\` | ${ms(us)} | ${pct(us)} |`)
  out.push('', 'Inclusive time (function and everything it calls), top entries:', '', '| function | inclusive | share |', '|---|---:|---:|')
  for (const [name, us] of analysis.inclusive) out.push(`| \`${name}\` | ${ms(us)} | ${pct(us)} |`)
  return [...out, '']
}

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
