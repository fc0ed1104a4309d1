import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EventSource } from '../src/index.node.ts'
import { fastEvent as reflectedEvent } from '../src/message-event.es5.ts'
import { platform } from '../src/platform.ts'
import { playedTransport, STREAM_RESPONSE } from './played-transport.ts'

// The modern entries' events (src/message-event.ts) and the script-tag bundles' (src/message-event.es5.ts,
// made by `Reflect.construct`) are no native MessageEvents: every listener must still see one. Each check below is made on the event the polyfill dispatches and on a native
// `MessageEvent` dispatched the same way, and the two must agree.

/** What a listener can observe of an event, read while it is being dispatched to that listener. */
function observe(event: MessageEvent, target: EventTarget) {
  const before = { data: event.data, origin: event.origin, lastEventId: event.lastEventId, source: event.source, ports: event.ports }
  // Sloppy-mode code (a Function body is never strict): assignments are ignored, without an error.
  new Function('event', "event.data = 'x'; event.origin = 'x'; event.lastEventId = 'x'; event.source = {}; event.ports = []")(event)
  const strictThrows = (['data', 'origin', 'lastEventId', 'source', 'ports'] as const).map((name) => {
    try {
      ;(event as any)[name] = 'x'
      return `${name}: no error`
    } catch (error) {
      return `${name}: ${(error as Error).constructor.name}`
    }
  })
  event.preventDefault()
  return {
    isMessageEvent: event instanceof MessageEvent,
    isEvent: event instanceof Event,
    constructor: event.constructor === MessageEvent,
    tag: Object.prototype.toString.call(event),
    type: event.type,
    target: event.target === target,
    currentTarget: event.currentTarget === target,
    eventPhase: event.eventPhase,
    bubbles: event.bubbles,
    cancelable: event.cancelable,
    defaultPrevented: event.defaultPrevented,
    before,
    after: { data: event.data, origin: event.origin, lastEventId: event.lastEventId, source: event.source, ports: event.ports },
    portsFrozen: Object.isFrozen(event.ports),
    strictThrows,
  }
}

/**
 * Two listeners on `target`; the first observes the event and stops immediate propagation, so the
 * second must never run. `fire` dispatches one event; resolves with what the first saw, and the
 * event's phase and current target after the dispatch.
 */
function listen(target: EventTarget, type: string, fire: () => void) {
  let seen: ReturnType<typeof observe> | undefined
  let event: MessageEvent | undefined
  let secondRan = false
  target.addEventListener(type, (e) => {
    event = e as MessageEvent
    seen = observe(event, target)
    event.stopImmediatePropagation()
  })
  target.addEventListener(type, () => (secondRan = true))
  fire()
  return { seen, secondRan, phaseAfter: event?.eventPhase, currentTargetAfter: event?.currentTarget, event: event! }
}

/** The polyfill's event for `id: 7`, `event: tick`, `data: hello`, as the Node entry dispatches it. */
function polyfillEvent() {
  const { transport, attempts } = playedTransport()
  const source = new EventSource(STREAM_RESPONSE.url, { transport })
  const result = listen(source as unknown as EventTarget, 'tick', () => {
    attempts[0]!.response(STREAM_RESPONSE)
    attempts[0]!.text('id: 7\nevent: tick\ndata: hello\n\n')
  })
  source.close()
  return result
}

/** An event the polyfill dispatched, once its dispatch is over (no listener stopped it). */
function anEvent(): MessageEvent {
  const { transport, attempts } = playedTransport()
  const source = new EventSource(STREAM_RESPONSE.url, { transport })
  let event: MessageEvent | undefined
  source.addEventListener('tick', (e) => (event = e))
  attempts[0]!.response(STREAM_RESPONSE)
  attempts[0]!.text('event: tick\ndata: hello\n\n')
  source.close()
  return event!
}

function nativeEvent() {
  const target = new EventTarget()
  return listen(target, 'tick', () => target.dispatchEvent(new MessageEvent('tick', { data: 'hello', origin: 'http://stream.test', lastEventId: '7' })))
}

const modern = platform.event

describe.each([
  ['the modern entries', modern],
  ['the script-tag bundles', reflectedEvent],
])(`%s' events (Node ${process.versions.node})`, (_, event) => {
  beforeAll(() => {
    platform.event = event
  })
  afterAll(() => {
    platform.event = modern
  })

  it('are no native MessageEvents', () => {
    // Compared here, not by the matcher: its report would read undici's brand-checked getters off the prototype.
    const prototype = Object.getPrototypeOf(platform.event('message', { data: 'd', origin: 'o', lastEventId: 'l' }))
    expect(prototype === MessageEvent.prototype).toBe(false)
  })

  it('are what the platform makes: a MessageEvent with init, a plain Event without', () => {
    const message = platform.event('message', { data: 'd', origin: 'o', lastEventId: 'l' })
    expect(message).toBeInstanceOf(MessageEvent)
    const plain = platform.event('open')
    expect(plain).toBeInstanceOf(Event)
    expect(plain).not.toBeInstanceOf(MessageEvent)
  })

  it('show every listener what a MessageEvent shows', () => {
    const ours = polyfillEvent()
    expect(ours.seen).toEqual({
      isMessageEvent: true,
      isEvent: true,
      constructor: true,
      tag: '[object MessageEvent]',
      type: 'tick',
      target: true,
      currentTarget: true,
      eventPhase: Event.AT_TARGET,
      bubbles: false,
      cancelable: false,
      // Not cancelable: preventDefault() changes nothing.
      defaultPrevented: false,
      before: { data: 'hello', origin: 'http://stream.test', lastEventId: '7', source: null, ports: [] },
      after: { data: 'hello', origin: 'http://stream.test', lastEventId: '7', source: null, ports: [] },
      portsFrozen: true,
      strictThrows: ['data: TypeError', 'origin: TypeError', 'lastEventId: TypeError', 'source: TypeError', 'ports: TypeError'],
    })
    expect(ours.secondRan).toBe(false)
    expect(ours.phaseAfter).toBe(Event.NONE)
    expect(ours.currentTargetAfter).toBe(null)
  })

  it("agree with a native MessageEvent dispatched the same way (Node 20's differs from the DOM in its tag and unfrozen ports)", () => {
    const ours = polyfillEvent()
    const native = nativeEvent()
    const node20 = process.versions.node.startsWith('20.') ? { tag: '[object MessageEvent]', portsFrozen: true } : {}
    expect({ ...ours, event: undefined }).toEqual({ ...native, event: undefined, seen: { ...native.seen, ...node20 } })
  })

  it('can be dispatched again, like any Event', () => {
    const event = anEvent()
    const target = new EventTarget()
    const seen: string[] = []
    target.addEventListener('tick', (e) => seen.push(`${e.type} ${(e as MessageEvent).data} ${e.target === target}`))
    target.dispatchEvent(event)
    expect(seen).toEqual(['tick hello true'])
  })

  it('have initMessageEvent, which does nothing during dispatch', () => {
    const event = anEvent()
    const target = new EventTarget()
    let during = ''
    target.addEventListener('tick', (e) => {
      ;(e as MessageEvent).initMessageEvent('other', true, true, 'during')
      during = `${e.type} ${(e as MessageEvent).data} ${e.bubbles}`
    })
    target.dispatchEvent(event)
    expect(during).toBe('tick hello false')
    event.initMessageEvent('other', true, true, 'after', 'http://o.test', '9')
    expect([event.type, event.bubbles, event.cancelable, event.data, event.origin, event.lastEventId]).toEqual(['other', true, true, 'after', 'http://o.test', '9'])
  })
})
