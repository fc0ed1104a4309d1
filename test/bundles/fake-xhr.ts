/**
 * A scripted `XMLHttpRequest` for the ES5 sandbox: it records what the page asks for and lets a
 * test play the response head and body growth the way IE10/11 report them (`readystatechange`
 * and `progress` with a growing `responseText`).
 */
export class FakeXMLHttpRequest {
  /** Every request made, newest last. */
  static readonly instances: FakeXMLHttpRequest[] = []

  method = ''
  url = ''
  async = true
  withCredentials = false
  readonly requestHeaders: Record<string, string> = {}
  sent = false
  aborted = false

  readyState = 0
  status = 0
  statusText = ''
  responseText = ''
  private responseHeaders: Record<string, string> = {}

  onreadystatechange: (() => void) | null = null
  onprogress: (() => void) | null = null
  onload: (() => void) | null = null
  onerror: (() => void) | null = null
  ontimeout: (() => void) | null = null
  onabort: (() => void) | null = null

  constructor() {
    FakeXMLHttpRequest.instances.push(this)
  }

  open(method: string, url: string, async = true): void {
    this.method = method
    this.url = url
    this.async = async
    this.readyState = 1
  }

  setRequestHeader(name: string, value: string): void {
    if (this.readyState !== 1 || this.sent) throw new Error('InvalidStateError: setRequestHeader outside OPENED')
    this.requestHeaders[name.toLowerCase()] = value
  }

  overrideMimeType(): void {}

  send(): void {
    if (this.readyState !== 1) throw new Error('InvalidStateError: send before open')
    this.sent = true
  }

  abort(): void {
    this.aborted = true
    this.readyState = 0
    this.responseText = ''
  }

  getResponseHeader(name: string): string | null {
    if (this.readyState < 2) return null
    const value = this.responseHeaders[name.toLowerCase()]
    return value === undefined ? null : value
  }

  getAllResponseHeaders(): string {
    if (this.readyState < 2) return ''
    return Object.keys(this.responseHeaders).map((name) => `${name}: ${this.responseHeaders[name]}\r\n`).join('')
  }

  /** Plays the response head (readyState 2). */
  respond(status: number, headers: Record<string, string>): void {
    this.status = status
    this.statusText = status === 200 ? 'OK' : 'Error'
    for (const name of Object.keys(headers)) this.responseHeaders[name.toLowerCase()] = headers[name]!
    this.readyState = 2
    this.fire('onreadystatechange')
  }

  /** Plays more body text (readyState 3, `readystatechange` then `progress`). */
  receive(text: string): void {
    this.responseText += text
    this.readyState = 3
    this.fire('onreadystatechange')
    this.fire('onprogress')
  }

  /** Plays the end of the body (readyState 4, `readystatechange` then `load`). */
  finish(): void {
    this.readyState = 4
    this.fire('onreadystatechange')
    this.fire('onload')
  }

  // Fires even after abort(): a transport must have let go of its handlers by then.
  private fire(handler: 'onreadystatechange' | 'onprogress' | 'onload'): void {
    const fn = this[handler]
    if (fn) fn.call(this)
  }
}
