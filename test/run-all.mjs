// `pnpm test`: every stage in order, each one a package.json script, timed. The build runs first and
// a failed build stops the run; after that every stage runs even when an earlier one failed, so one
// run shows the whole picture. Ends with a table of stages and one total count line.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const stages = ['build', 'test:types', 'test:node', 'test:jsdom', 'test:node22', 'test:node24', 'test:browser', 'test:runtimes', 'test:docs', 'test:package', 'test:size']
const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts
for (const stage of stages) if (!scripts[stage]) throw new Error(`package.json has no "${stage}" script`)

// The pnpm running this script (pnpm sets npm_execpath), else the pinned one through npx.
const pnpm = process.env.npm_execpath && /pnpm/.test(process.env.npm_execpath)
  ? [process.execPath, process.env.npm_execpath]
  : ['npx', '-y', 'pnpm@10.34.9']
const countLine = /^[\w-]+: (\d+) passed, (\d+) failed/

function run(stage) {
  return new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(pnpm[0], [...pnpm.slice(1), 'run', '--silent', stage], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] })
    const counts = { passed: 0, failed: 0, seen: false }
    let pending = ''
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk)
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop()
      for (const line of lines) {
        const match = countLine.exec(line.trim())
        if (match) {
          counts.passed += Number(match[1])
          counts.failed += Number(match[2])
          counts.seen = true
        }
      }
    })
    child.on('close', (code) => resolve({ stage, ok: code === 0, seconds: (performance.now() - started) / 1000, counts }))
  })
}

const results = []
for (const stage of stages) {
  console.log(`\n━━ ${stage}: ${scripts[stage]}`)
  const result = await run(stage)
  results.push(result)
  console.log(`━━ ${stage} ${result.ok ? 'passed' : 'FAILED'} in ${result.seconds.toFixed(1)} s`)
  if (stage === 'build' && !result.ok) break
}

let passed = 0
let failed = 0
console.log('\nstage          result  time     tests')
for (const { stage, ok, seconds, counts } of results) {
  // A stage with no count line of its own (build, types) counts as one check.
  const stagePassed = counts.seen ? counts.passed : ok ? 1 : 0
  const stageFailed = counts.seen ? Math.max(counts.failed, ok ? 0 : 1) : ok ? 0 : 1
  passed += stagePassed
  failed += stageFailed
  const tests = counts.seen ? `${counts.passed} passed, ${counts.failed} failed` : '-'
  console.log(`${stage.padEnd(14)} ${(ok ? 'pass' : 'FAIL').padEnd(7)} ${`${seconds.toFixed(1)} s`.padEnd(8)} ${tests}`)
}
const skippedStages = stages.length - results.length
if (skippedStages) console.log(`(${skippedStages} stages not run after the build failed)`)
console.log(`\ntotal: ${passed} passed, ${failed + skippedStages} failed`)
process.exitCode = failed + skippedStages === 0 ? 0 : 1
