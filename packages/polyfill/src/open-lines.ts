/**
 * The line feeds in `chunk` after its last blank line, and whether it has one: how many lines the
 * event still open at the end of the chunk gained in it. For LF and CR LF streams (a CR-only stream
 * counts as having no line feeds). Cheap on the chunks every stream sends: one fast forward search
 * for a chunk with no line feed (one line of a large event), and a walk back over the last few
 * lines otherwise; the whole chunk is walked only when it has no blank line at all.
 *
 * @example
 * openLines('data: a\n\ndata: b\ndata: c\n') // [2, true]
 * openLines('data: d\n') // [1, false]
 */
export function openLines(chunk: string): [lines: number, blank: boolean] {
  if (chunk.indexOf('\n') < 0) return [0, false]
  let lines = 0
  for (let at = chunk.lastIndexOf('\n'); at >= 0; ) {
    const before = at > 0 ? chunk.lastIndexOf('\n', at - 1) : -1
    // The line that this line feed ends is blank: it follows the one before directly (or a lone CR
    // does). A line feed first in the chunk may end a line the previous chunk began: counted.
    if (before >= 0 && (at - before === 1 || (at - before === 2 && chunk.charCodeAt(at - 1) === 13))) return [lines, true]
    lines++
    at = before
  }
  return [lines, false]
}
