// The page's four panels. Each one counts what its EventSource (or client) delivers and checks the
// ids: a resumed connection must go on exactly after the last id received, with nothing skipped or
// seen twice. `window.demo.summary()` is what test/browser/demo.test.ts reads.
import { idCounter } from './ids.js'

const LOG_LINES = 14

/** Builds the counters, the resume line and the log under a panel's heading; returns its handle. */
function createPanel(id) {
  const section = document.getElementById(id)
  section.querySelector('.how').insertAdjacentHTML('afterend', `
    <div class="state" data-state="connecting">connecting</div>
    <dl class="stats">
      <div><dt>events</dt><dd data-stat="events">0</dd></div>
      <div><dt>last id</dt><dd data-stat="last">–</dd></div>
      <div><dt>connections</dt><dd data-stat="connections">0</dd></div>
      <div class="check"><dt>gaps</dt><dd data-stat="gaps">0</dd></div>
      <div class="check"><dt>repeats</dt><dd data-stat="repeats">0</dd></div>
    </dl>
    <p class="resume">Not resumed yet: press the button.</p>
    <ol class="log"></ol>`)
  const $ = (selector) => section.querySelector(selector)
  const ids = idCounter()
  const status = { state: 'connecting', events: 0, connections: 0, resumes: [] }

  const render = () => {
    const values = { ...ids.counts, ...status }
    for (const cell of section.querySelectorAll('[data-stat]')) {
      cell.textContent = values[cell.dataset.stat] === '' ? '–' : values[cell.dataset.stat]
      if (cell.parentElement.classList.contains('check')) cell.parentElement.classList.toggle('bad', values[cell.dataset.stat] > 0)
    }
    $('.state').textContent = status.state
    $('.state').dataset.state = status.state.split(' ')[0]
  }
  /** Adds a line at the top of the log: text parts, each a span with its class (`''` for none). */
  const log = (kind, parts) => {
    const line = document.createElement('li')
    line.className = kind
    for (const [className, text] of parts) {
      const part = line.appendChild(document.createElement('span'))
      part.className = className
      part.textContent = text
    }
    const list = $('.log')
    list.prepend(line)
    while (list.children.length > LOG_LINES) list.lastElementChild.remove()
  }

  return {
    state(state) {
      status.state = state
      render()
    },
    /** The server's first event on each connection: which id it was sent, and how many it replays. */
    welcome({ lastEventId, via, replayed }) {
      status.connections++
      if (lastEventId) {
        const exact = lastEventId === ids.counts.last
        status.resumes.push({ sent: lastEventId, had: ids.counts.last, via, replayed })
        const text = `resumed after id ${lastEventId} (Last-Event-ID ${via === 'query' ? 'query parameter' : 'header'}), ${replayed} replayed`
        $('.resume').textContent = exact ? text : `${text}, but the last id received was ${ids.counts.last}`
        $('.resume').classList.toggle('bad', !exact)
        log('marker', [['', `↻ resumed after #${lastEventId} (${via}), ${replayed} replayed`]])
      }
      render()
    },
    event(type, id, text) {
      ids.see(id)
      status.events++
      log(type, [['id', `#${id}`], ['type', type], ['', text]])
      render()
    },
    summary: () => ({ ...ids.counts, ...status }),
  }
}

const time = (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false }) + `.${String(ms % 1000).padStart(3, '0')}`
const panels = Object.fromEntries(['native', 'polyfill', 'client', 'ie'].map((id) => [id, createPanel(id)]))

/** Connects an EventSource (any realm's: the IE-class frame calls this too) to a panel. */
function attach(id, source) {
  const panel = panels[id]
  source.onopen = () => panel.state('open')
  source.onerror = () => panel.state(source.readyState === source.CLOSED ? 'closed' : 'reconnecting')
  source.onmessage = (event) => panel.event('message', event.lastEventId, time(Number(event.data)))
  source.addEventListener('myEvent', (event) => panel.event('myEvent', event.lastEventId, JSON.parse(event.data).text))
  source.addEventListener('welcome', (event) => panel.welcome(JSON.parse(event.data)))
}

attach('native', new EventSource('/notify'))
attach('polyfill', new SSEKitPolyfill.EventSource('/notify'))

const client = SSEKit.connect('/notify', {
  decode: 'json',
  events: ['myEvent', 'welcome'],
  onOpen: () => panels.client.state('open'),
  onReconnecting: ({ delay }) => panels.client.state(`reconnecting in ${delay} ms`),
  onClose: () => panels.client.state('closed'),
})
client.on('message', (now, event) => panels.client.event('message', event.lastEventId, time(now)))
client.on('myEvent', ({ text }, event) => panels.client.event('myEvent', event.lastEventId, text))
client.on('welcome', (info) => panels.client.welcome(info))
document.querySelector('#client .backend').textContent = `the ${client.backend}`

window.demo = {
  attach,
  summary: () => Object.fromEntries(Object.entries(panels).map(([id, panel]) => [id, panel.summary()])),
}

// The IE-class frame attaches its EventSource through window.demo, so it loads once that exists.
document.querySelector('#ie iframe').src = '/ie.html'

document.getElementById('drop').addEventListener('click', async () => {
  const { dropped } = await (await fetch('/drop', { method: 'POST' })).json()
  document.getElementById('dropped').textContent = `${new Date().toLocaleTimeString('en-GB')}: the server destroyed ${dropped} open /notify responses.`
})

