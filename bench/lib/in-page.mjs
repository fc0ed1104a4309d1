// The page of `node bench/in-process.mjs --chromium`: the same rows on the polyfill's and the
// client's ESM builds, bundled by esbuild as an application's bundler would, the floor's event being
// the polyfill's class (the page's `new MessageEvent` costs 2-4× as much).
import { connect } from '@ssekit/client'
import { EventSource } from '@ssekit/polyfill'
import { createParser } from 'eventsource-parser'
import { fastEvent } from '../../packages/polyfill/src/message-event.ts'
import { describeInProcess, inProcessRuns, timeInProcess } from './in-process.mjs'
import { chunksOf } from './played.mjs'

const runs = inProcessRuns({ EventSource, connect, createParser, makeEvent: fastEvent })

window.inProcess = (text, expected, rounds, label) => describeInProcess(label, timeInProcess(runs, chunksOf(text), expected, rounds, label), expected.count)
