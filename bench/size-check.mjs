// Size budget check: prints every published entry's size (raw, minified, gzip, brotli) and the
// budgeted bundles, then exits 1 when a budgeted bundle is over its CI ceiling (min+gzip) or could
// not be measured from packages/*/dist (run `pnpm build` first). Each bundle also has issue 5's
// target, reported as met or missed (1 KB = 1000 B; ceilings in bench/lib/sizes.mjs):
//   polyfill ESM build with eventsource-parser bundled in   target ≤ 3.5 KB
//   ssekit-polyfill.min.js (ES5, both transports)           target ≤ 5.0 KB
//   client ESM build, polyfill left out ("on top")          target ≤ 2.5 KB
//   ssekit.min.js (client + polyfill, ES5)                  target ≤ 7.5 KB (the two above added up)
import { renderSizes } from './lib/report.mjs'
import { measureSizes } from './lib/sizes.mjs'

const sizes = await measureSizes()
process.stdout.write(`${renderSizes(sizes)}\n`)

const problems = []
for (const b of sizes.budgets) {
  if (b.missing) problems.push(`${b.name}: not measured — ${b.missing}`)
  else if (b.from !== 'dist') problems.push(`${b.name}: measured from src only (dist absent), not the published build`)
  else if (b.gzip > b.budget) problems.push(`${b.name}: ${b.gzip} B min+gzip is over its CI ceiling of ${b.budget} B by ${b.gzip - b.budget} B`)
}
if (problems.length) {
  process.stdout.write(`\nsize check FAILED:\n${problems.map((p) => `- ${p}`).join('\n')}\n`)
  process.exit(1)
}
const missed = sizes.budgets.filter((b) => b.gzip > b.target).map((b) => `${b.name} (${b.gzip} B, target ${b.target} B)`)
process.stdout.write(`\nsize check passed: every budgeted bundle is within its CI ceiling${missed.length ? `; targets still missed: ${missed.join(', ')}` : '; every target met'}\n`)
