// `pnpm test:docs`: the API reference in docs/api must be what TypeDoc makes of the sources' TSDoc
// today. Regenerates it into a temporary folder with the same configuration (typedoc.json) and
// compares every file; a difference fails with the files that differ and the command that fixes it.
// Ends with "docs: N passed, M failed".
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Application } from 'typedoc'

const root = fileURLToPath(new URL('../../', import.meta.url))
const committed = join(root, 'docs/api')

/** Every file under `dir`, as paths relative to it, sorted. */
function files(dir) {
  const out = []
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else out.push(relative(dir, path))
    }
  }
  try {
    walk(dir)
  } catch {
    // A missing folder has no files: every generated one is then reported missing.
  }
  return out.sort()
}

const started = performance.now()
const out = mkdtempSync(join(tmpdir(), 'ssekit-api-'))
let problems = []
try {
  process.chdir(root)
  const app = await Application.bootstrapWithPlugins({ options: join(root, 'typedoc.json'), out, logLevel: 'Warn' })
  const project = await app.convert()
  if (!project) throw new Error('TypeDoc could not convert the sources (see the errors above)')
  await app.generateOutputs(project)
  if (app.logger.hasErrors()) throw new Error('TypeDoc reported errors (see above)')
  const fresh = files(out)
  const old = files(committed)
  for (const file of fresh) {
    if (!old.includes(file)) problems.push(`missing from docs/api: ${file}`)
    else if (readFileSync(join(out, file), 'utf8') !== readFileSync(join(committed, file), 'utf8')) problems.push(`differs: docs/api/${file}`)
  }
  for (const file of old) if (!fresh.includes(file)) problems.push(`no longer generated: docs/api/${file}`)
} catch (error) {
  problems = [`could not generate the API reference: ${error instanceof Error ? error.message : String(error)}`]
} finally {
  rmSync(out, { recursive: true, force: true })
}

const seconds = ((performance.now() - started) / 1000).toFixed(1)
if (problems.length) {
  console.log(`✗ docs/api is not what the TSDoc in packages/*/src gives today (${seconds} s):`)
  for (const problem of problems) console.log(`  - ${problem}`)
  console.log('  Regenerate it with `npx -y pnpm@10.34.9 docs:api` and commit docs/api with the change.')
  console.log('docs: 0 passed, 1 failed')
  process.exitCode = 1
} else {
  console.log(`✓ docs/api matches the TSDoc of packages/*/src (${seconds} s)`)
  console.log('docs: 1 passed, 0 failed')
}
