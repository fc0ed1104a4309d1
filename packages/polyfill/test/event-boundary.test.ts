import { describe, expect, it } from 'vitest'
import { endsAtEventBoundary } from '../src/event-boundary.ts'

// Where the XHR transport may recycle a response (createXhrTransport's recycleAfter): only after a blank line.

describe('endsAtEventBoundary', () => {
  it.each([
    ['\n\n', true],
    ['\r\n\r\n', true],
    ['\n\r\n', true],
    ['\r\r\n', true],
    ['\r\n\n', true],
    ['data: x\n\n', true],
    ['data: x\r\r\n', true],
    ['\r\n', false],
    ['\r\r', false],
    ['\n\r', false],
    ['data: x\n', false],
    ['data: x\r\n', false],
    ['x\n', false],
    ['\n', false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(endsAtEventBoundary(text)).toBe(expected)
  })
})
