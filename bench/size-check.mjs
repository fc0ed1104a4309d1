// Size budget check: prints every published entry's size (raw, minified, gzip, brotli) and the
// budgeted bundles, then exits 1 when a budgeted bundle is over its min+gzip budget or could not be
// measured from packages/*/dist (run `pnpm build` first). Budgets (issue 5; 1 KB = 1000 B):
//   polyfill ESM build with eventsource-parser bundled in   ≤ 3.5 KB
//   ssekit-polyfill.min.js (ES5, both transports)           ≤ 5.0 KB
//   client ESM build, polyfill left out ("on top")          ≤ 2.5 KB
//   ssekit.min.js (client + polyfill, ES5)                  ≤ 7.5 KB (the two budgets above added up)
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
process.stdout.write('\nsize check passed: every budgeted bundle is within its budget\n')
