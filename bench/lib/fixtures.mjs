// The five workloads, generated from a fixed seed so every run, process and machine streams the same
// bytes. The generator knows each event it writes, so the expected count, checksum and last id come
// from the events themselves, not from parsing the stream (the rows are checked against an
// independent answer).
import { mix, SEED } from './checksum.mjs'

/** Seed of the whole fixture set. */
export const FIXTURE_SEED = 0x5e5e

/** mulberry32: small, fast, good enough to make text nobody can predict from its length. */
function random(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// JSON-safe text (no quote, backslash or line break) with some 2- and 3-byte UTF-8 characters, so a
// character split between two network chunks is part of every workload. BMP only: a slice of the
// pool never cuts a surrogate pair.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789     .,;-_+=()[]{}<>!?éü€中'
const POOL_LENGTH = 2_100_000

function makePool(next) {
  const parts = new Array(POOL_LENGTH)
  for (let i = 0; i < POOL_LENGTH; i++) parts[i] = ALPHABET[(next() * ALPHABET.length) | 0]
  return parts.join('')
}

/** The workloads at scale 1 (the sizes); `count` is multiplied by BENCH_SCALE. */
export const WORKLOADS = {
  tokens: { count: 200_000, type: 'message', describe: '200k × ~30 B, `id:` on each' },
  json: { count: 50_000, type: 'message', describe: '50k × 1 KB JSON' },
  large: { count: 100, type: 'message', describe: '100 × 1 MB, one line' },
  multiline: { count: 20_000, type: 'message', describe: '20k × 20 data lines' },
  custom: { count: 200_000, type: 'myEvent', describe: '200k `event: myEvent`' },
}

/** Each workload's events: `[eventBlock, data, id]` per event, given the pool and the random source. */
const builders = {
  tokens(count, pool, next, emit) {
    for (let i = 1; i <= count; i++) {
      const len = 10 + ((next() * 20) | 0)
      const at = (next() * (pool.length - len)) | 0
      const data = `{"t":"${pool.slice(at, at + len)}"}`
      emit(`id: ${i}\ndata: ${data}\n\n`, data, String(i))
    }
  },
  json(count, pool, next, emit) {
    for (let i = 0; i < count; i++) {
      const at = (next() * (pool.length - 1000)) | 0
      const head = `{"seq":${i},"user":"${pool.slice(at, at + 12)}","score":${(next() * 1e6) | 0},"text":"`
      const data = head + pool.slice(at + 12, at + 12 + 1000 - head.length - 2) + '"}'
      emit(`data: ${data}\n\n`, data, '')
    }
  },
  large(count, pool, next, emit) {
    for (let i = 0; i < count; i++) {
      const at = (next() * (pool.length - 1_000_000)) | 0
      const data = `"${pool.slice(at, at + 999_998)}"`
      emit(`data: ${data}\n\n`, data, '')
    }
  },
  multiline(count, pool, next, emit) {
    // 20 data lines that join (with \n, as the spec says) into pretty-printed JSON.
    for (let i = 0; i < count; i++) {
      const lines = ['{']
      for (let k = 0; k < 18; k++) {
        const at = (next() * (pool.length - 40)) | 0
        lines.push(`  "k${k}": "${pool.slice(at, at + 30 + ((next() * 10) | 0))}"${k < 17 ? ',' : ''}`)
      }
      lines.push('}')
      emit(`data: ${lines.join('\ndata: ')}\n\n`, lines.join('\n'), '')
    }
  },
  custom(count, pool, next, emit) {
    for (let i = 0; i < count; i++) {
      const len = 10 + ((next() * 20) | 0)
      const at = (next() * (pool.length - len)) | 0
      const data = `{"t":"${pool.slice(at, at + len)}"}`
      emit(`event: myEvent\ndata: ${data}\n\n`, data, '')
    }
  },
}

/** How many events a workload has at this scale (at least one). */
export function eventCount(name, scale) {
  return Math.max(1, Math.round(WORKLOADS[name].count * scale))
}

/**
 * Generates one workload: the body as UTF-8 bytes and what a correct client sees — the number of
 * events, the checksum of their data (see checksum.mjs), the last event id, the decoded length and
 * the byte length.
 */
export function generate(name, scale) {
  const next = random(FIXTURE_SEED + Object.keys(WORKLOADS).indexOf(name))
  const pool = makePool(next)
  const blocks = []
  let count = 0
  let checksum = SEED
  let lastId = ''
  builders[name](eventCount(name, scale), pool, next, (block, data, id) => {
    blocks.push(block)
    count++
    checksum = mix(checksum, data)
    if (id !== '') lastId = id
  })
  const text = blocks.join('')
  const body = Buffer.from(text, 'utf8')
  return { body, expected: { type: WORKLOADS[name].type, count, checksum, lastId, chars: text.length, bytes: body.length } }
}
