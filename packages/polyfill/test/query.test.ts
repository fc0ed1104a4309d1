import { describe, expect, it } from 'vitest'
import { withQueryParam } from '@ssekit/polyfill'

describe('withQueryParam', () => {
  it.each([
    ['https://x.test/s', 'https://x.test/s?lastId=7'],
    ['https://x.test/s?', 'https://x.test/s?lastId=7'],
    ['https://x.test/s?keep=1', 'https://x.test/s?keep=1&lastId=7'],
    ['https://x.test/s?lastId=1&keep=1&lastId=2', 'https://x.test/s?keep=1&lastId=7'],
    ['https://x.test/s?keep=1#frag?lastId=1', 'https://x.test/s?keep=1&lastId=7#frag?lastId=1'],
    ['https://x.test/s?last%49d=1&lastIdx=2', 'https://x.test/s?lastIdx=2&lastId=7'],
  ])('%s', (url, expected) => {
    expect(withQueryParam(url, 'lastId', '7')).toBe(expected)
  })

  it('keeps the other parameters byte for byte, including a malformed escape', () => {
    expect(withQueryParam('/s?a=b%20c&q=x+y&bad=%E0%A4%A&%zz=1', 'id', '1')).toBe('/s?a=b%20c&q=x+y&bad=%E0%A4%A&%zz=1&id=1')
  })

  it('encodes the name and value, and matches a name written with + for a space', () => {
    expect(withQueryParam('/s?last+id=1', 'last id', 'é&=#')).toBe('/s?last%20id=%C3%A9%26%3D%23')
  })
})
