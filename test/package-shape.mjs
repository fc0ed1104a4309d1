// Package-shape check: packs both packages the way they would be published, lints them (publint),
// checks their types resolve for ESM and CJS consumers (@arethetypeswrong/cli), then installs the
// tarballs into a throwaway folder (with npm --engine-strict and yarn 1 too) and loads them for real
// on this Node: require() without require(esm), and import(). Needs `pnpm build` first. Prints "package-shape: N passed, M failed".
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { diffFiles, expectedFiles } from './package-files.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const pnpm = ['-y', 'pnpm@10.34.9']
const packages = {
  // THIRD-PARTY-NOTICES.md: the licence of eventsource-parser, which the polyfill's builds bundle.
  polyfill: { dir: join(root, 'packages/polyfill'), scriptTag: 'ssekit-polyfill.min.js', entries: ['index', 'auto', 'node', 'index.node', 'auto.node', 'legacy'], more: ['THIRD-PARTY-NOTICES.md'] },
  client: { dir: join(root, 'packages/client'), scriptTag: 'ssekit.min.js', entries: ['index', 'polyfilled'], more: ['dist/ssekit.dev.js', 'dist/ssekit.dev.js.map', 'dist/browser/index.mjs', 'dist/browser/index.mjs.map', 'dist/browser/polyfilled.mjs', 'dist/browser/polyfilled.mjs.map'] },
}

let passed = 0
let failed = 0
function report(name, ok, detail = '') {
  if (ok) passed++
  else failed++
  const shown = ok ? '' : detail.trim()
  console.log(`${ok ? '✓' : '✗'} ${name}${shown ? `\n    ${shown.replace(/\n/g, '\n    ')}` : ''}`)
}

const work = mkdtempSync(join(tmpdir(), 'ssekit-package-shape-'))
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' })
  // /which answers which transport asked: fetch (undici) sends Sec-Fetch-Mode, node:http does not.
  if (req.url === '/which') res.end(`retry: 60000\nid: 7\ndata: ${req.headers['sec-fetch-mode'] ? 'fetch' : 'node'}\n\n`)
  else res.end('retry: 60000\nid: 7\ndata: hello\n\n')
})

try {
  for (const [name, pkg] of Object.entries(packages)) {
    if (!existsSync(join(pkg.dir, 'dist', `${pkg.entries[0]}.mjs`))) {
      throw new Error(`${pkg.dir}/dist is missing or incomplete: run \`npx -y pnpm@10.34.9 build\` first`)
    }
    // pnpm pack, not npm pack: it replaces `workspace:^` with the real version range, as publishing does.
    execFileSync('npx', [...pnpm, 'pack', '--pack-destination', work], { cwd: pkg.dir, stdio: 'pipe' })
    pkg.tarball = join(work, readdirSync(work).find((file) => file.endsWith('.tgz') && file.includes(`-${name}-`)))
  }

  // 1. What the tarballs hold: exactly the expected files, and no tests (which src/**/*.ts would let in).
  for (const [name, pkg] of Object.entries(packages)) {
    const listed = execFileSync('tar', ['-tzf', pkg.tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((file) => file.replace(/^package\//, ''))
    const diff = diffFiles(listed, expectedFiles(pkg))
    const stray = listed.filter((file) => /\.test\.|\/test\/|tsconfig|node_modules/.test(file)).map((file) => `stray: ${file}`)
    report(`${name}: tarball holds exactly the expected files (dist entries, LICENSE, README, CHANGELOG, package.json, src) and no tests`,
      diff.length === 0 && stray.length === 0, [...diff, ...stray].join('\n'))
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', pkg.tarball, 'package/package.json'], { encoding: 'utf8' }))
    const ranges = JSON.stringify(manifest.dependencies ?? {})
    report(`${name}: packed dependencies carry real versions (no workspace:)`, !ranges.includes('workspace:'), ranges)
    // Nothing from outside the project: no dependency can declare an engine we do not support.
    const outside = Object.keys(manifest.dependencies ?? {}).filter((dependency) => !dependency.startsWith('@ssekit/'))
    report(`${name}: no runtime dependency from outside the project`, outside.length === 0, outside.join(', '))
  }

  // Private members (named `like_` in the sources) leave the build renamed: left whole, every
  // bundle that includes the package would carry them (see manglePrivates in rollup.config.ts).
  for (const [name, pkg] of Object.entries(packages)) {
    const left = []
    for (const file of readdirSync(join(pkg.dir, 'dist'), { recursive: true }).filter((file) => /\.(mjs|cjs|min\.js)$/.test(file))) {
      const found = readFileSync(join(pkg.dir, 'dist', file), 'utf8').match(/\.[A-Za-z]+_\b|["'][A-Za-z]+_["']/g)
      if (found) left.push(`${file}: ${[...new Set(found)].join(' ')}`)
    }
    report(`${name}: no private member keeps its source name in the build`, left.length === 0, left.join('\n'))
  }

  // `process.env.NODE_ENV` (whether the client checks its options) is left for the app's bundler in
  // the `browser` builds only: Deno refuses the read unless allowed, a page without a bundler has no `process`.
  {
    const dist = join(packages.client.dir, 'dist')
    const reads = readdirSync(dist, { recursive: true }).filter((file) => /\.(mjs|cjs|js)$/.test(file) && readFileSync(join(dist, file), 'utf8').includes('process.env.NODE_ENV'))
    report('client: only the browser builds read process.env.NODE_ENV', JSON.stringify(reads.sort()) === JSON.stringify(['browser/index.mjs']), reads.join(', '))
  }

  // 2. publint on the packed tarballs, warnings included.
  for (const [name, pkg] of Object.entries(packages)) {
    const tarball = readFileSync(pkg.tarball)
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
      level: 'warning',
      strict: true,
    })
    report(`${name}: publint`, messages.length === 0, messages.map((m) => `${m.type}: ${formatMessage(m, manifest)}`).join('\n'))
  }

  // 3. Types resolve for node16 ESM and CJS and for bundlers (the script-tag files are not modules).
  for (const [name, pkg] of Object.entries(packages)) {
    const scriptTags = Object.keys(JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')).exports).filter((path) => path.endsWith('.js'))
    const attw = spawnSync(join(root, 'node_modules/.bin/attw'),
      [pkg.tarball, '--profile', 'node16', '--format', 'ascii', '--no-color', '--exclude-entrypoints', ...scriptTags, './package.json'],
      { encoding: 'utf8' })
    report(`${name}: @arethetypeswrong (node16 ESM + CJS, bundler)`, attw.status === 0, attw.status === 0 ? '' : attw.stdout + attw.stderr)
  }

  // 4. The tarballs install on this Node with the strictest clients: npm refusing any engine mismatch,
  // and yarn 1 (which always refuses one). Both offline: the client's @ssekit/polyfill is the tarball.
  const installs = [
    ['npm install --engine-strict', 'npm', ['install', '--engine-strict', '--no-audit', '--no-fund', '--offline', packages.polyfill.tarball, packages.client.tarball], {}],
    ['yarn 1 add', 'npx', ['-y', 'yarn@1.22.22', 'add', '--non-interactive', '--offline', `file:${packages.polyfill.tarball}`, `file:${packages.client.tarball}`], { resolutions: { '@ssekit/polyfill': `file:${packages.polyfill.tarball}` } }],
  ]
  for (const [name, command, args, fields] of installs) {
    const dir = join(work, `install-${command}`)
    mkdirSync(dir)
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'install-check', private: true, ...fields }))
    const result = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, npm_config_engine_strict: 'true' } })
    const installed = existsSync(join(dir, 'node_modules/@ssekit/polyfill/package.json')) && existsSync(join(dir, 'node_modules/@ssekit/client/package.json'))
    report(`both packages install with ${name} on Node ${process.version}`, result.status === 0 && installed, `${result.stdout}\n${result.stderr}`)
  }

  // 5. Install the tarballs offline: unpack into node_modules, with nothing else beside them.
  const modules = join(work, 'app/node_modules')
  mkdirSync(join(modules, '@ssekit'), { recursive: true })
  for (const [name, pkg] of Object.entries(packages)) {
    const unpacked = join(work, `unpacked-${name}`)
    mkdirSync(unpacked)
    execFileSync('tar', ['-xzf', pkg.tarball, '-C', unpacked])
    renameSync(join(unpacked, 'package'), join(modules, '@ssekit', name))
  }

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/events`
  // Asynchronous, so this process's server can answer the child.
  const run = (args, code) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [...args, '-e', code], {
        cwd: join(work, 'app'),
        env: { ...process.env, NODE_OPTIONS: '', SSE_URL: url },
        timeout: 20_000,
      })
      let output = ''
      child.stdout.on('data', (chunk) => (output += chunk))
      child.stderr.on('data', (chunk) => (output += chunk))
      child.on('close', (code) => resolve({ ok: code === 0, output: output.trim() }))
    })
  const cjs = (code) => run(['--no-experimental-require-module'], `const assert = require('node:assert');\n${code}`)
  const esm = (code) => run(['--input-type=module'], `import assert from 'node:assert';\n${code}`)
  const firstMessage = `
    new Promise((resolve, reject) => {
      const source = new EventSource(process.env.SSE_URL)
      source.onmessage = (event) => { source.close(); resolve(event.data + '#' + event.lastEventId) }
      source.onerror = () => { source.close(); reject(new Error('error event, readyState ' + source.readyState)) }
      setTimeout(() => reject(new Error('no message within 5 s')), 5000).unref()
    })`

  // What a browser bundler makes of the package: no `node:` module anywhere (esbuild fails on one it cannot resolve).
  const { build } = await import('esbuild')
  for (const [name, contents] of [
    ['@ssekit/polyfill + /auto', `export { EventSource } from '@ssekit/polyfill'\nimport '@ssekit/polyfill/auto'`],
    ['@ssekit/client', `export { connect } from '@ssekit/client'`],
  ]) {
    let detail = ''
    try {
      const out = await build({ stdin: { contents, resolveDir: join(work, 'app') }, bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' })
      const text = out.outputFiles[0].text
      if (/\bnode:|node\.m?js|index\.node/.test(text)) detail = 'the browser bundle mentions node: / the node entry'
    } catch (error) {
      detail = String(error)
    }
    report(`${name}: a browser bundle (esbuild, platform browser) has no node: import`, detail === '', detail)
  }
  // Which client build each kind of bundle gets: the `browser` one leaves `process.env.NODE_ENV` (the
  // option checks) to the app's bundler; a worker's (Cloudflare's workerd, edge runtimes: no
  // `process`, and a bundler that may not set it) gets a build that always checks and reads nothing.
  for (const [conditions, entry, leftToBundler] of [
    [['browser', 'import'], '@ssekit/client', true],
    [['browser', 'import'], '@ssekit/client/polyfilled', true],
    [['workerd', 'worker', 'browser', 'import'], '@ssekit/client', false],
    [['workerd', 'worker', 'browser', 'import'], '@ssekit/client/polyfilled', false],
  ]) {
    const out = await build({ stdin: { contents: `export { connect } from '${entry}'`, resolveDir: join(work, 'app') }, bundle: true, platform: 'neutral', mainFields: ['module', 'main'], conditions, format: 'esm', write: false, logLevel: 'silent', external: ['@ssekit/polyfill'] })
    const reads = out.outputFiles[0].text.includes('process.env.NODE_ENV')
    report(`${entry} with conditions ${conditions.join(', ')}: ${leftToBundler ? 'the option checks are left to the bundler' : 'always checks, reads no environment'}`, reads === leftToBundler, `reads process.env.NODE_ENV: ${reads}`)
  }
  // The main entry is the modern one: the XHR transport and the IE stand-ins come only with /legacy.
  for (const [name, contents, legacy] of [
    ['@ssekit/polyfill', `export { EventSource } from '@ssekit/polyfill'`, false],
    ['@ssekit/polyfill/legacy', `export { EventSource } from '@ssekit/polyfill/legacy'`, true],
  ]) {
    const out = await build({ stdin: { contents, resolveDir: join(work, 'app') }, bundle: true, minify: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' })
    const text = out.outputFiles[0].text
    const found = ['responseText', 'stopImmediatePropagation', 'createElement'].filter((word) => text.includes(word))
    report(`${name}: a browser bundle ${legacy ? 'carries' : 'leaves out'} the XHR transport and the IE stand-ins`, legacy ? found.length === 3 : found.length === 0, `found: ${found.join(', ') || 'none'}`)
  }
  for (const file of ['index.mjs', 'index.cjs', 'auto.mjs', 'auto.cjs', 'legacy.mjs', 'legacy.cjs', packages.polyfill.scriptTag]) {
    const text = readFileSync(join(modules, '@ssekit/polyfill/dist', file), 'utf8')
    report(`polyfill: dist/${file} has no node: import`, !/["']node:/.test(text))
  }
  const clientBundle = readFileSync(join(modules, '@ssekit/client/dist', packages.client.scriptTag), 'utf8')
  report(`client: dist/${packages.client.scriptTag} has no node: import`, !/["']node:/.test(clientBundle))

  const node = `Node ${process.version}`
  // The control: with this flag an ESM-only package cannot be required, so a pass below means ours needed no require(esm).
  const parser = join(realpathSync(join(packages.polyfill.dir, 'node_modules/eventsource-parser')), 'dist/index.js')
  const control = await cjs(`assert.throws(() => require(${JSON.stringify(parser)}), (e) => e.code === 'ERR_REQUIRE_ESM' || e.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')`)
  report(`control: require('eventsource-parser') fails under --no-experimental-require-module (${node})`, control.ok, control.output)

  const checks = [
    ['CJS require(\'@ssekit/polyfill\') without require(esm)', () => cjs(`
      const p = require('@ssekit/polyfill')
      assert.equal(typeof p.EventSource, 'function')
      assert.equal(p.EventSource.CLOSED, 2)
      assert.equal(typeof p.EventSourceError, 'function')
      assert.equal(typeof p.isEventSourceError, 'function')
      assert.ok(Object.keys(require.cache).every((f) => !f.includes('eventsource-parser')), 'eventsource-parser must be inlined')
      const EventSource = p.EventSource
      ${firstMessage}.then((got) => assert.equal(got, 'hello#7'))`)],
    ['CJS require(\'@ssekit/polyfill\') resolves the node entry, whose default is the node transport', () => cjs(`
      assert.ok(require.resolve('@ssekit/polyfill').endsWith('dist/index.node.cjs'), require.resolve('@ssekit/polyfill'))
      const { EventSource } = require('@ssekit/polyfill')
      const which = (init) => ${firstMessage.replace('new EventSource(process.env.SSE_URL)', "new EventSource(process.env.SSE_URL.replace('/events', '/which'), init)")}
      which().then((got) => assert.equal(got, 'node#7'))
        .then(() => which({ transport: require('@ssekit/polyfill').fetchTransport })).then((got) => assert.equal(got, 'fetch#7'))
        .then(() => which({ transport: require('@ssekit/polyfill').createFetchTransport((...args) => fetch(...args)) })).then((got) => assert.equal(got, 'fetch#7'))`)],
    ['ESM import(\'@ssekit/polyfill\') resolves the node entry, whose default is the node transport', () => esm(`
      assert.ok(import.meta.resolve('@ssekit/polyfill').endsWith('dist/index.node.mjs'), import.meta.resolve('@ssekit/polyfill'))
      assert.ok(import.meta.resolve('@ssekit/polyfill/auto').endsWith('dist/auto.node.mjs'))
      await import('@ssekit/polyfill/auto')
      const which = (init) => ${firstMessage.replace('new EventSource(process.env.SSE_URL)', "new globalThis.EventSource(process.env.SSE_URL.replace('/events', '/which'), init)")}
      assert.equal(await which(), 'node#7')
      assert.equal(await which({ transport: (await import('@ssekit/polyfill')).fetchTransport }), 'fetch#7')`)],
    ['CJS require(\'@ssekit/polyfill/auto\') installs globalThis.EventSource', () => cjs(`
      assert.equal(typeof globalThis.EventSource, 'undefined', 'Node 20 has no EventSource of its own')
      const auto = require('@ssekit/polyfill/auto')
      assert.equal(globalThis.EventSource, require('@ssekit/polyfill').EventSource)
      assert.equal(auto.EventSource, globalThis.EventSource)`)],
    ['CJS require(\'@ssekit/client\') loads the polyfill\'s CJS build', () => cjs(`
      const c = require('@ssekit/client')
      assert.equal(typeof c.connect, 'function')
      assert.ok(Object.keys(require.cache).some((f) => f.endsWith('polyfill/dist/index.cjs')))`)],
    ['ESM import(\'@ssekit/polyfill\')', () => esm(`
      const p = await import('@ssekit/polyfill')
      assert.equal(typeof p.EventSource, 'function')
      assert.equal(typeof p.EventSourceError, 'function')
      const EventSource = p.EventSource
      assert.equal(await ${firstMessage}, 'hello#7')`)],
    ['ESM import(\'@ssekit/polyfill/legacy\'): one file (its stand-ins run before the class is defined) that streams, with the XHR transport', () => esm(`
      const { readFileSync } = await import('node:fs')
      assert.ok(!/from ["']\\.\\//.test(readFileSync(new URL(import.meta.resolve('@ssekit/polyfill/legacy')), 'utf8')), 'legacy.mjs imports another chunk')
      const { EventSource, xhrTransport } = await import('@ssekit/polyfill/legacy')
      assert.equal(await ${firstMessage}, 'hello#7')
      const main = await import('@ssekit/polyfill')
      assert.equal(main.xhrTransport, undefined)
      globalThis.XMLHttpRequest = function () { throw new Error('xhr chosen') }
      await new Promise((resolve) => {
        const source = new EventSource(process.env.SSE_URL, { transport: xhrTransport })
        source.onerror = (event) => { source.close(); assert.match(String(event.error.cause), /xhr chosen/); resolve() }
      })`)],
    ['CJS require(\'@ssekit/polyfill/legacy\') streams', () => cjs(`
      const { EventSource } = require('@ssekit/polyfill/legacy')
      ${firstMessage}.then((got) => assert.equal(got, 'hello#7'))`)],
    ['ESM import(\'@ssekit/polyfill/auto\') installs globalThis.EventSource', () => esm(`
      const auto = await import('@ssekit/polyfill/auto')
      const p = await import('@ssekit/polyfill')
      assert.equal(globalThis.EventSource, p.EventSource)
      assert.equal(auto.EventSource, p.EventSource)`)],
    ['CJS require(\'@ssekit/polyfill/node\'): the node transport streams', () => cjs(`
      const { EventSource } = require('@ssekit/polyfill')
      const { nodeTransport, createNodeTransport } = require('@ssekit/polyfill/node')
      assert.equal(typeof createNodeTransport, 'function')
      const init = { transport: nodeTransport }
      ${firstMessage.replace('new EventSource(process.env.SSE_URL)', 'new EventSource(process.env.SSE_URL, init)')}.then((got) => assert.equal(got, 'hello#7'))`)],
    ['ESM import(\'@ssekit/polyfill/node\'): the node transport streams', () => esm(`
      const { EventSource } = await import('@ssekit/polyfill')
      const { nodeTransport } = await import('@ssekit/polyfill/node')
      const init = { transport: nodeTransport }
      assert.equal(await ${firstMessage.replace('new EventSource(process.env.SSE_URL)', 'new EventSource(process.env.SSE_URL, init)')}, 'hello#7')`)],
    ['ESM import(\'@ssekit/client\')', () => esm(`
      const c = await import('@ssekit/client')
      assert.equal(typeof c.connect, 'function')`)],
  ]
  for (const [name, check] of checks) {
    const result = await check()
    report(`${name} (${node})`, result.ok, result.output)
  }
} catch (error) {
  report('package-shape setup', false, error instanceof Error ? error.stack ?? error.message : String(error))
} finally {
  server.close()
  rmSync(work, { recursive: true, force: true })
}

console.log(`package-shape: ${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
