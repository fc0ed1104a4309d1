import { expect } from 'vitest'
import { lines, scenarios, values } from '../scenario.ts'

/** The `EventSource` interface: constants, constructor, attributes, handlers and listeners. */
export const interfaceScenarios = scenarios([
  {
    name: 'url, withCredentials and readyState are read-only, and Object.prototype.toString names the interface',
    skip: { 'node24-native': "Node 24's own EventSource has no toStringTag of its own ([object EventTarget]); browsers' say EventSource" },
    serve: ({ a }) => a.route('/s', { hold: true }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s') as any
      var url = source.url
      var attempts = [
        function () {
          source.url = 'http://elsewhere.test/'
        },
        function () {
          source.withCredentials = true
        },
        function () {
          source.readyState = 2
        },
      ]
      // Strict code throws on assigning a getter-only attribute, sloppy code ignores it: either way it stays.
      for (var i = 0; i < attempts.length; i++) {
        try {
          attempts[i]!()
        } catch (_) {
          // The assignment was refused.
        }
      }
      ctx.log({
        url: source.url === url,
        withCredentials: source.withCredentials,
        readyState: source.readyState,
        // An IE-class page has no Symbol.toStringTag to name it with.
        tag: typeof Symbol === 'function' ? Object.prototype.toString.call(source) : '[object EventSource]',
      })
      source.close()
      ctx.done()
    },
    check({ log }) {
      expect(values(log)).toEqual([{ url: true, withCredentials: false, readyState: 0, tag: '[object EventSource]' }])
    },
  },
  {
    name: 'CONNECTING, OPEN and CLOSED are 0, 1 and 2 on the constructor, the prototype and instances',
    serve: ({ a }) => a.route('/s', { hold: true }),
    client: function (ctx) {
      var ES = ctx.EventSource
      var source = ctx.open(ctx.base + '/s')
      ctx.log({
        constructor: [ES.CONNECTING, ES.OPEN, ES.CLOSED],
        prototype: [ES.prototype.CONNECTING, ES.prototype.OPEN, ES.prototype.CLOSED],
        instance: [source.CONNECTING, source.OPEN, source.CLOSED],
      })
      source.close()
      ctx.done()
    },
    check({ log }) {
      expect(values(log)).toEqual([{ constructor: [0, 1, 2], prototype: [0, 1, 2], instance: [0, 1, 2] }])
    },
  },
  {
    name: 'readyState goes CONNECTING → OPEN → CONNECTING (stream ended) → OPEN → CLOSED (close())',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: a\n\n'] }, { body: ['data: b\n\n'], hold: true }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s')
      ctx.note('constructed ' + source.readyState)
      ctx.record(source)
      source.addEventListener('message', function (event: MessageEvent) {
        if (event.data !== 'b') return
        source.close()
        ctx.note('closed ' + source.readyState)
        ctx.done()
      })
    },
    check({ log }) {
      expect(lines(log)).toEqual(['constructed 0', 'open(1)', 'message(1) "a"', 'error(0)', 'open(1)', 'message(1) "b"', 'closed 2'])
    },
  },
  {
    name: 'url is the absolute URL the constructor resolved (dot segments removed, query and fragment kept)',
    // A comment first: Chromium's XMLHttpRequest reports the response head only with the first body byte.
    serve: ({ a }) => a.route('/s', { body: [':\n\n'], hold: true }),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/dir/./../s?q=1#frag')
      ctx.log(source.url)
      source.addEventListener('open', function () {
        source.close()
        ctx.done()
      })
    },
    async check({ log, a }) {
      expect(values(log)).toEqual([`${a.origin}/s?q=1#frag`])
      const [request] = a.requests('/s')
      expect(request?.url.search).toBe('?q=1')
    },
  },
  {
    name: "a relative URL resolves against the document's base URL (a <base> element), and is requested there",
    needs: { document: true },
    // A comment first, as above.
    serve: ({ a }) => a.route('/based/sub/s', { body: [':\n\n'], hold: true }),
    client: function (ctx) {
      var base = document.createElement('base')
      base.href = ctx.base + '/based/'
      document.head.appendChild(base)
      try {
        var source = ctx.open('sub/s')
      } finally {
        document.head.removeChild(base)
      }
      ctx.log(source.url)
      source.addEventListener('open', function () {
        source.close()
        ctx.done()
      })
    },
    check({ log, a }) {
      expect(values(log)).toEqual([`${a.origin}/based/sub/s`])
      expect(a.requests('/based/sub/s')).toHaveLength(1)
    },
  },
  {
    name: 'an unparsable URL throws a "SyntaxError" DOMException and requests nothing',
    client: function (ctx) {
      try {
        ctx.open('http://[')
        ctx.fail('no exception')
      } catch (error) {
        var e = error as Error
        ctx.log({ name: e.name, isDOMException: typeof DOMException !== 'function' || e instanceof DOMException })
        ctx.done()
      }
    },
    check({ log, a }) {
      expect(values(log)).toEqual([{ name: 'SyntaxError', isDOMException: true }])
      expect(a.requests()).toHaveLength(0)
    },
  },
  {
    name: 'with no document, a relative URL has nothing to resolve against: "SyntaxError" DOMException',
    needs: { document: false },
    client: function (ctx) {
      try {
        ctx.open('/s')
        ctx.fail('no exception')
      } catch (error) {
        var e = error as Error
        ctx.log({ name: e.name, isDOMException: typeof DOMException !== 'function' || e instanceof DOMException })
        ctx.done()
      }
    },
    check({ log }) {
      expect(values(log)).toEqual([{ name: 'SyntaxError', isDOMException: true }])
    },
  },
  {
    name: 'withCredentials is false by default and true when the init dictionary says so',
    serve: ({ a }) => a.route('/s', { hold: true }),
    client: function (ctx) {
      var plain = ctx.open(ctx.base + '/s')
      var explicitFalse = ctx.open(ctx.base + '/s', { withCredentials: false })
      var withCredentials = ctx.open(ctx.base + '/s', { withCredentials: true })
      ctx.log([plain.withCredentials, explicitFalse.withCredentials, withCredentials.withCredentials])
      plain.close()
      explicitFalse.close()
      withCredentials.close()
      ctx.done()
    },
    check({ log }) {
      expect(values(log)).toEqual([[false, false, true]])
    },
  },
  {
    name: 'onopen/onmessage/onerror and addEventListener/removeEventListener/dispatchEvent, in registration order',
    serve: ({ a }) => a.route('/s', [{ body: ['retry: 50\ndata: one\n\ndata: two\n\n'] }, { status: 204 }]),
    client: function (ctx) {
      var source = ctx.open(ctx.base + '/s')
      var removed = function () {
        ctx.note('removed listener called')
      }
      source.addEventListener('message', removed)
      source.removeEventListener('message', removed)
      source.addEventListener('open', function () {
        ctx.note('listener open')
      })
      source.onopen = function (event) {
        ctx.note('onopen ' + event.type + ' ' + source.readyState)
      }
      source.onmessage = function (event) {
        ctx.note('onmessage ' + event.data)
        // Unsetting the handler stops it; the listener added after it keeps going.
        if (event.data === 'one') source.onmessage = null
      }
      source.addEventListener('message', function (event: MessageEvent) {
        ctx.note('listener message ' + event.data)
      })
      source.onerror = function (event) {
        ctx.note('onerror ' + event.type + ' ' + source.readyState)
        if (source.readyState !== source.CLOSED) return
        source.addEventListener('custom', function (custom: Event) {
          ctx.note('custom at target ' + (custom.target === source))
        })
        source.dispatchEvent(new Event('custom'))
        ctx.done()
      }
      ctx.log({ handlers: [typeof source.onopen, typeof source.onmessage, typeof source.onerror] })
    },
    check({ log }) {
      expect(values(log)).toEqual([{ handlers: ['function', 'function', 'function'] }])
      expect(lines(log)).toEqual([
        'listener open',
        'onopen open 1',
        'onmessage one',
        'listener message one',
        'listener message two',
        'onerror error 0',
        'onerror error 2',
        'custom at target true',
      ])
    },
  },
])
