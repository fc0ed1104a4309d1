import { expect } from 'vitest'
import { lines, scenarios } from '../scenario.ts'
import { collectUntilEnd } from '../programs.ts'

/** What the request looks like on the wire. */
export const requestScenarios = scenarios([
  {
    name: 'the request is a GET with Accept: text/event-stream and, on the first connection, no Last-Event-ID',
    serve: ({ a }) => a.route('/s', { body: ['data: END\n\n'], hold: true }),
    client: collectUntilEnd,
    check({ a }) {
      const [request] = a.requests('/s')
      expect(request?.method).toBe('GET')
      expect(request?.headers.accept).toBe('text/event-stream')
      expect(request?.headers).not.toHaveProperty('last-event-id')
    },
  },
  {
    name: 'responses are not cached: a reconnection reaches the server even when the first response was cacheable',
    skip: {
      'polyfill-xhr':
        'an XMLHttpRequest has no cache mode, so a browser may answer from its cache; the transport adds no Cache-Control request header because it forces a CORS preflight (cross-origin or after a redirect) that servers refuse — such streams must be served with Cache-Control: no-store',
    },
    serve: ({ a }) =>
      a.route('/s', [
        { headers: { 'cache-control': 'public, max-age=3600', etag: '"one"' }, body: ['retry: 50\ndata: first\n\n'] },
        { headers: { 'cache-control': 'public, max-age=3600', etag: '"two"' }, body: ['data: END\n\n'], hold: true },
      ]),
    client: collectUntilEnd,
    check({ log, a }) {
      expect(lines(log)).toEqual(['open(1)', 'message(1) "first"', 'error(0)', 'open(1)', 'message(1) "END"'])
      expect(a.requests('/s')).toHaveLength(2)
      // A cache revalidation would carry the validator of the first response.
      expect(a.requests('/s')[1]?.headers).not.toHaveProperty('if-none-match')
    },
  },
  {
    name: 'Last-Event-ID is sent encoded as UTF-8',
    skip: {
      'node24-native':
        'undici writes header values as Latin-1: "é" goes out as the byte E9, and an id beyond U+00FF makes every reconnection fail before a request is sent',
    },
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\nid: é€\ndata: first\n\n'] }, { body: ['data: END\n\n'], hold: true }]),
    client: collectUntilEnd,
    check({ log, a }) {
      expect(lines(log, { ids: true })).toEqual(['open(1)', 'message(1) "first" #"é€"', 'error(0)', 'open(1)', 'message(1) "END" #"é€"'])
      // node:http reads header bytes as latin1; the UTF-8 bytes of "é€" must be what was sent.
      const header = a.requests('/s')[1]?.headers['last-event-id']
      expect(typeof header === 'string' ? Buffer.from(header, 'latin1').toString('utf8') : header).toBe('é€')
    },
  },
])
