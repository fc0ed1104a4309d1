import { JSDOM } from 'jsdom'
import { afterAll, afterEach, beforeAll, vi } from 'vitest'
import { startServer, type ScriptedServer } from '../../../test/server/scripted-server.ts'

/** A test file's scripted server and a jsdom window whose origin is that server's. */
export interface ServerAndDom {
  readonly server: ScriptedServer
  /** Same-origin with `server`, so its XMLHttpRequest makes same-origin requests there. */
  readonly dom: JSDOM
}

/**
 * Registers this file's hooks: the server and the window start before its first test and close
 * after its last; globals a test stubbed (the XMLHttpRequest the transport reads) are restored
 * after each test.
 */
export function serverAndDom(): ServerAndDom {
  let server: ScriptedServer | undefined
  let dom: JSDOM | undefined
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the server and the window start in beforeAll')
    return value
  }
  beforeAll(async () => {
    server = await startServer()
    dom = new JSDOM('', { url: server.origin + '/' })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })
  afterAll(async () => {
    started(dom).window.close()
    await started(server).close()
  })
  return {
    get server() {
      return started(server)
    },
    get dom() {
      return started(dom)
    },
  }
}
