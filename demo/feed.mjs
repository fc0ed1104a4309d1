// The one stream every /notify connection shares: a tick every second appends `Date.now()` (and,
// every third tick, a `myEvent`) under the next id, and goes to every open connection. One counter
// for all clients means each sees consecutive ids; a short history lets a reconnection that names
// the last id it received get exactly the events it missed.

/** How many events the history keeps: about four minutes, far more than a reconnection takes. */
const HISTORY = 300

/** Starts ticking; `stop()` ends it. */
export function startFeed({ interval = 1000 } = {}) {
  const history = []
  const listeners = new Set()
  let nextId = 1
  let tick = 0
  const publish = (type, data) => {
    const event = { id: String(nextId++), type, data }
    history.push(event)
    if (history.length > HISTORY) history.shift()
    for (const listener of listeners) listener(event)
  }
  const timer = setInterval(() => {
    tick++
    publish('message', String(Date.now()))
    if (tick % 3 === 0) publish('myEvent', JSON.stringify({ text: `tick ${tick}`, at: new Date().toISOString() }))
  }, interval)
  return {
    /** The events after `lastEventId` still in the history: none when it is empty, unknown or too old. */
    since(lastEventId) {
      const last = history.findIndex((event) => event.id === lastEventId)
      return last < 0 ? [] : history.slice(last + 1)
    },
    /** Calls `listener` with each new event; returns the function that stops it. */
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    stop() {
      clearInterval(timer)
      listeners.clear()
    },
  }
}
