import { describe, expect, it } from 'vitest'
import { Utf8Stream } from '../src/transport/utf8.ts'

// Utf8Stream must give exactly what one streaming TextDecoder gives for the same chunks, while it
// drops its own decoder whenever a chunk ends with an ASCII byte.

/** Byte pieces that make every case of the decoder meet a chunk boundary: whole, cut and broken characters. */
const PIECES: number[][] = [
  [0x61], // a
  [0x0a], // LF
  [0xc3, 0xa9], // é
  [0xe2, 0x82, 0xac], // €
  [0xf0, 0x9f, 0x98, 0x80], // 😀
  [0xef, 0xbb, 0xbf], // BOM
  [0xff], // never valid
  [0x80], // a lone continuation byte
  [0xc0, 0x80], // overlong NUL
  [0xe0, 0x80, 0x80], // overlong, second byte below E0's range
  [0xed, 0xa0, 0x80], // a surrogate, second byte above ED's range
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0xf5, 0x80], // a lead byte that never leads
  [0xc3], // cut-off two-byte character
  [0xe2, 0x82], // cut-off three-byte character
  [0xf0, 0x9f, 0x98], // cut-off four-byte character
]

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), seed | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function decodeBoth(chunks: Uint8Array[]): { expected: string[]; actual: string[] } {
  const reference = new TextDecoder()
  const stream = new Utf8Stream()
  const expected = chunks.map((chunk) => reference.decode(chunk, { stream: true }))
  const actual = chunks.map((chunk) => stream.decode(chunk))
  expected.push(reference.decode())
  actual.push(stream.end())
  return { expected, actual }
}

describe('Utf8Stream', () => {
  // First in the file: the shared decoder's first use ever must not drop a BOM either.
  it('drops only the leading BOM, even one split between chunks, and keeps a BOM that starts a later chunk', () => {
    const bom = [0xef, 0xbb, 0xbf]
    const { expected, actual } = decodeBoth([new Uint8Array([0xef]), new Uint8Array([0xbb, 0xbf, 0x61, 0x0a]), new Uint8Array([...bom, 0x62, 0x0a])])
    expect(actual).toEqual(expected)
    expect(actual.join('')).toBe('a\n\uFEFFb\n')
  })

  it('decodes chunk by chunk exactly as one streaming TextDecoder does, however the bytes are cut', () => {
    const next = random(20240611)
    for (let run = 0; run < 3000; run++) {
      const bytes: number[] = []
      const pieces = 1 + Math.floor(next() * 12)
      for (let i = 0; i < pieces; i++) bytes.push(...PIECES[Math.floor(next() * PIECES.length)]!)
      const chunks: Uint8Array[] = []
      for (let at = 0; at < bytes.length; ) {
        // Empty chunks included: they must change nothing.
        const size = Math.floor(next() * 5)
        chunks.push(new Uint8Array(bytes.slice(at, at + size)))
        at += size
      }
      const { expected, actual } = decodeBoth(chunks)
      expect(actual, `bytes ${bytes.map((b) => b.toString(16)).join(' ')} in chunks of ${chunks.map((c) => c.length).join(',')}`).toEqual(expected)
    }
  })

  it('ends a stream cut inside a character with one U+FFFD', () => {
    const stream = new Utf8Stream()
    expect(stream.decode(new Uint8Array([0x61, 0xe2, 0x82]))).toBe('a')
    expect(stream.end()).toBe('\uFFFD')
  })
})
