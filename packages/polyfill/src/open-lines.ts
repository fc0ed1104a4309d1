/**
 * The line feeds in `chunk` after its last blank line (`\n\n` or `\n\r\n`), and whether it has one:
 * how many lines the event still open at the end of the chunk gained in it. For LF and CR LF
 * streams; a CR-only stream counts as having no line feeds.
 *
 * @example
 * openLines('data: a\n\ndata: b\ndata: c\n') // [2, true]
 * openLines('data: d\n') // [1, false]
 */
export function openLines(chunk: string): [lines: number, blank: boolean] {
  const from = Math.max(chunk.lastIndexOf('\n\n') + 2, chunk.lastIndexOf('\n\r\n') + 3)
  let lines = 0
  for (let at = chunk.indexOf('\n', from > 2 ? from : 0); at >= 0; at = chunk.indexOf('\n', at + 1)) lines++
  return [lines, from > 2]
}
