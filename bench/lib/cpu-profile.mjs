// Reading a V8 CPU profile (`node --cpu-prof`, or the DevTools protocol's Profiler in Chromium): where
// the time of a run went, by function (self and inclusive) and by module, as markdown.

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

/**
 * Self and inclusive time per function, and self time per module, from the samples inside `window`
 * (µs of the profile's clock; all samples without one). `(idle)` samples are left out: they are no
 * one's cost, and a page waiting for the network has many. `moduleOfFrame` names a call frame's module.
 */
export function analyse(profile, window, moduleOfFrame = (frame) => moduleOf(frame.url, frame.functionName)) {
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
    const node = byId.get(profile.samples[i])
    if (node.callFrame.functionName === '(idle)') continue
    inWindow++
    total += delta
    self.set(key(node), (self.get(key(node)) || 0) + delta)
    const mod = moduleOfFrame(node.callFrame)
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

export function section(title, analysis) {
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
