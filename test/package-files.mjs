// What a packed tarball must hold, exactly, and the diff shown when it holds something else.
// Patterns are paths inside the package; `*` stands for any run of characters within one path
// segment, `**/` for any number of folders.

/** The expected file set of a package with these `dist` entries, this script-tag bundle and these other files. */
export function expectedFiles({ entries, scriptTag, more = [] }) {
  return [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    ...entries.flatMap((entry) => ['mjs', 'mjs.map', 'cjs', 'cjs.map', 'd.mts', 'd.cts', 'd.ts'].map((ext) => `dist/${entry}.${ext}`)),
    `dist/${scriptTag}`,
    `dist/${scriptTag}.map`,
    'src/**/*.ts',
    ...more,
  ]
}

function patternRegExp(pattern) {
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`^${escaped.replace(/\*\*\//g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '(?:[^/]+/)*')}$`)
}

/**
 * Compares the files of a tarball (paths inside it, `package/` prefix removed) with the patterns:
 * a pattern that matches no file is missing, a file that matches no pattern is extra.
 * Returns the diff as lines (`- missing`, `+ extra`), empty when the set is exact.
 */
export function diffFiles(files, patterns) {
  const matchers = patterns.map((pattern) => ({ pattern, regExp: patternRegExp(pattern) }))
  const missing = matchers.filter(({ regExp }) => !files.some((file) => regExp.test(file))).map(({ pattern }) => `- ${pattern}  (expected, not packed)`)
  const extra = files.filter((file) => !matchers.some(({ regExp }) => regExp.test(file))).map((file) => `+ ${file}  (packed, not expected)`)
  return [...missing, ...extra]
}
