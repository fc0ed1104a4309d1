export { EventSource, type EventSourceErrorEvent, type EventSourceEventMap } from './event-source.ts'
export { EventSourceError, isEventSourceError, type EventSourceErrorCode, type HeaderReader, type ResponseSummary } from './errors.ts'
export type { AttemptInfo, EventSourceOptions } from './options.ts'
export type { FetchLike, Transport, TransportHandlers, TransportName, TransportRequest, TransportResponse } from './transport/types.ts'
