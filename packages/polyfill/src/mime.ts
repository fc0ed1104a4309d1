/** processResponse step 3's MIME type check: the essence is `text/event-stream`, parameters such as `charset` allowed. */
export function isEventStream(contentType: string): boolean {
  return contentType.split(';')[0]!.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '').toLowerCase() === 'text/event-stream'
}

