import { Transform, type TransformCallback } from 'node:stream'
import {
  constants,
  createBrotliDecompress,
  createGunzip,
  createInflate,
  createInflateRaw,
  type BrotliOptions,
  type ZlibOptions,
} from 'node:zlib'

// Flushing on every write hands each event to the source as soon as its bytes arrive; the same
// finish flush lets a stream cut off without its trailer still give what it decoded (as undici does).
const ZLIB: ZlibOptions = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH }
const BROTLI: BrotliOptions = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH }

/**
 * `deflate` is the zlib format (RFC 9110), but some servers send raw deflate; like undici, the
 * first byte decides (a zlib header's low nibble is 8, the deflate method).
 */
class InflateEither extends Transform {
  private inner: Transform | undefined

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (chunk.length === 0) return callback()
    if (!this.inner) {
      const inner = (this.inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate(ZLIB) : createInflateRaw(ZLIB))
      inner.on('data', (data: Buffer) => this.push(data))
      inner.on('error', (error) => this.destroy(error))
    }
    this.inner.write(chunk, () => callback())
  }

  override _flush(callback: TransformCallback): void {
    if (!this.inner) return callback()
    this.inner.once('end', () => callback())
    this.inner.end()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.inner) this.inner.destroy()
    callback(error)
  }
}

function decoderFor(coding: string): Transform | undefined {
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip(ZLIB)
  if (coding === 'deflate') return new InflateEither()
  if (coding === 'br') return createBrotliDecompress(BROTLI)
  return undefined
}

/**
 * The decompressors for a `Content-Encoding` value, in the order the body goes through them (the
 * last coding applied is undone first). Empty when there is nothing to undo, or when a coding is
 * unknown: then, as fetch does, the body is handed over as it came.
 */
export function contentDecoders(contentEncoding: string | undefined): Transform[] {
  if (!contentEncoding) return []
  const codings = contentEncoding.toLowerCase().split(',')
  const decoders: Transform[] = []
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.trim()
    if (coding === '' || coding === 'identity') continue
    const decoder = decoderFor(coding)
    if (!decoder) {
      for (const made of decoders) made.destroy()
      return []
    }
    decoders.push(decoder)
  }
  return decoders
}
