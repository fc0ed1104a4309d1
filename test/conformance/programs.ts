import type { ClientProgram } from './client-kit.ts'

// Client programs shared by many scenarios. Like every client program they are self-contained ES5
// functions: they run from their source text, in Node and in pages alike.

/**
 * Opens `/s` on the main server, records every event (the custom types the scenarios use
 * included) and ends at the first message whose data is `END`, across reconnections.
 */
export const collectUntilEnd: ClientProgram = function (ctx) {
  var source = ctx.open(ctx.base + '/s')
  ctx.record(source, ['open', 'message', 'error', 'tick', 'tock', 'x', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])
  ctx.endAt(source)
}

/**
 * Opens `/s`, records events, and once the connection has failed (an `error` while CLOSED) watches
 * 300 ms for anything more — a reconnection would come after the 50 ms `retry` the scenarios set.
 */
export const untilFailed: ClientProgram = function (ctx) {
  var source = ctx.open(ctx.base + '/s')
  ctx.record(source)
  source.addEventListener('error', function () {
    if (source.readyState !== source.CLOSED) return
    ctx.quiet(300, function () {
      ctx.note('finally ' + source.readyState)
      ctx.done()
    })
  })
}
