// Size budget check (`pnpm test:size`): prints every published entry's size and what an app pays for
// each way in, built by esbuild and by Vite from the packages' dist (bench/lib/consumer.mjs holds the
// fixture apps, their targets and their budgets), then exits 1 when a bundle is over its budget
// (min+gzip) or could not be measured (run `pnpm build` first). A budget is its target where the
// target is met, else today's size plus ~1.5% (a row without a target has a ceiling only): the
// report names every target still missed.
import { renderSizes } from './lib/report.mjs'
import { measureSizes } from './lib/sizes.mjs'

const sizes = await measureSizes()
process.stdout.write(`${renderSizes(sizes)}\n`)

const problems = []
for (const b of sizes.budgets) {
  if (b.missing) problems.push(`${b.name}: not measured — ${b.missing}`)
  else if (b.from !== 'dist') problems.push(`${b.name}: measured from src only (dist absent), not the published build`)
  else if (b.gzip > b.budget) problems.push(`${b.name}: ${b.gzip} B min+gzip is over its budget of ${b.budget} B by ${b.gzip - b.budget} B`)
}
if (problems.length) {
  process.stdout.write(`\nsize check FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}\n`)
  process.exit(1)
}
const missed = sizes.budgets.filter((b) => b.target !== undefined && b.gzip > b.target).map((b) => `${b.name} (${b.gzip} B, target ${b.target} B)`)
process.stdout.write(`\nsize check passed: every budgeted bundle is within its CI ceiling${missed.length ? `; targets still missed: ${missed.join(', ')}` : '; every target met'}\n`)
