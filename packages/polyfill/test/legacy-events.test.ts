import { expect, it } from 'vitest'
import { ShimEvent, ShimEventTarget } from '../src/legacy-events.ts'

// The EventTarget stand-in of the legacy entry (IE10/11, Safari < 14) must take what the DOM's takes.

it('takes null options as no options, as the DOM does (WebIDL converts null to the empty dictionary)', () => {
  const target = new ShimEventTarget()
  const seen: string[] = []
  const listener = (event: ShimEvent) => seen.push(event.type)
  target.addEventListener('message', listener, null as never)
  target.dispatchEvent(new ShimEvent('message'))
  target.removeEventListener('message', listener, null as never)
  target.dispatchEvent(new ShimEvent('message'))
  expect(seen).toEqual(['message'])
})
