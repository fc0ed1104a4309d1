// Receives one event through the client or the polyfill (argv[2]), calls close(), and ends: run.mjs
// checks that the process then exits by itself, with nothing left holding it open.
import { connect } from '@ssekit/client'
import { EventSource } from '@ssekit/polyfill'

const url = `${process.env.SSE_URL}/events`
if (process.argv[2] === 'client') {
  const client = connect(url)
  client.on('message', () => {
    client.close()
    console.log('closed')
  })
} else {
  const source = new EventSource(url)
  source.onmessage = () => {
    source.close()
    console.log('closed')
  }
}
