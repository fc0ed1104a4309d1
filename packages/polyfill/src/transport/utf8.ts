// The spec's "UTF-8 decode" of a body that arrives in chunks, for the fetch and node transports,
// without a TextDecoder per idle connection: a streaming decoder holds state only while a chunk ends
// inside a character. A chunk that ends with an ASCII byte leaves nothing behind, so it can go
// through one decoder shared by every stream; and once one has, so can the next chunk.

const STREAM = { stream: true }
const IGNORE_BOM = { ignoreBOM: true }
let shared: TextDecoder | undefined

/**
 * Decodes one stream's chunks as a streaming UTF-8 `TextDecoder` would (a character split between
 * chunks decodes whole, invalid bytes become U+FFFD, one leading BOM is dropped), but keeps a
 * decoder of its own only from a chunk that ends inside a character (or the first chunks, for the
 * BOM) until one ends with an ASCII byte, as every line of an event stream does.
 */
export class Utf8Stream {
  /** The stream's own decoder while it may hold part of a character, or the BOM check is pending. */
  private decoder_: TextDecoder | undefined = new TextDecoder()

  /** The text of the next chunk of bytes. */
  decode(bytes: Uint8Array): string {
    // An empty chunk counts as unclean: it changes nothing, and keeps the first decoder's BOM check.
    const clean = bytes[bytes.length - 1]! < 0x80
    const decoder =
      this.decoder_ ||
      // Past the first code point: only the stream's first decoder may drop a BOM.
      (clean ? shared || (shared = new TextDecoder('utf-8', IGNORE_BOM)) : (this.decoder_ = new TextDecoder('utf-8', IGNORE_BOM)))
    const text = decoder.decode(bytes, STREAM)
    if (clean) this.decoder_ = undefined
    return text
  }

  /** What the end of the stream adds: U+FFFD for a character it cut off, else `''`. */
  end(): string {
    const decoder = this.decoder_
    this.decoder_ = undefined
    return decoder ? decoder.decode() : ''
  }
}
