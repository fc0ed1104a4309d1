// The limit's parser: the least work any SSE consumer does per event, and no more. It cuts lines
// (a line that spans chunks is joined once), recognises each field, slices its value (one leading
// space dropped), joins multi-line data with '\n', and calls `onEvent(type, data, id)` once per event
// that has data. It ignores what a spec parser must also do and these fixtures never need: CR line
// ends, a BOM, `retry:`, unknown fields, the id's NUL check. No Node or DOM API, so the Chromium
// section's page runs this same file.

/** Returns `onText(chunk)`, which feeds decoded text to a scan that calls `onEvent` per event. */
export function fieldScan(onEvent) {
  let data = ''
  let hasData = false
  let type = ''
  let id = ''
  let pending = ''

  /** One line, `text[start, end)`: a field, a comment, or (empty) the end of an event. */
  const line = (text, start, end) => {
    if (start === end) {
      if (hasData) onEvent(type === '' ? 'message' : type, data, id)
      data = ''
      hasData = false
      type = ''
      return
    }
    let colon = text.indexOf(':', start)
    if (colon === start) return
    if (colon === -1 || colon > end) colon = end
    let from = colon + 1
    if (from < end && text.charCodeAt(from) === 32) from++
    const value = from < end ? text.slice(from, end) : ''
    const length = colon - start
    if (length === 4 && text.startsWith('data', start)) {
      data = hasData ? `${data}\n${value}` : value
      hasData = true
    } else if (length === 2 && text.startsWith('id', start)) id = value
    else if (length === 5 && text.startsWith('event', start)) type = value
  }

  return (text) => {
    let start = 0
    let at = text.indexOf('\n')
    if (pending !== '') {
      if (at === -1) {
        pending += text
        return
      }
      const joined = pending + text.slice(0, at)
      pending = ''
      line(joined, 0, joined.length)
      start = at + 1
      at = text.indexOf('\n', start)
    }
    while (at !== -1) {
      line(text, start, at)
      start = at + 1
      at = text.indexOf('\n', start)
    }
    if (start < text.length) pending = text.slice(start)
  }
}
