import { Dictionary } from './dictionary.ts'

/** An event handler IDL attribute's value (`onopen`, `onmessage`, `onerror`). */
export type Handler<E> = ((event: E) => any) | null

/** A target's handler attributes by event type: each value, and the one listener that calls it. */
export type HandlerAttributes = { [type: string]: { value: Handler<any>; listener: (event: Event) => void } | undefined }

interface Target {
  addEventListener(type: string, listener: (event: Event) => void): void
  removeEventListener(type: string, listener: (event: Event) => void): void
}

/** The value of the `type` handler attribute: null until one is set. */
export function handlerOf(attributes: HandlerAttributes | undefined, type: string): Handler<any> {
  const attribute = attributes && attributes[type]
  return attribute ? attribute.value : null
}

/**
 * Sets the `type` handler attribute of `target` (made on first use: returns the attributes). The
 * first non-null value registers one listener that calls whatever the attribute holds, so replacing
 * a handler keeps its place among the listeners; null removes it.
 */
export function setHandler(target: Target, attributes: HandlerAttributes | undefined, type: string, value: Handler<any>): HandlerAttributes {
  const all = attributes || new Dictionary<NonNullable<HandlerAttributes[string]>>()
  const attribute =
    all[type] ||
    (all[type] = {
      value: null,
      listener: (event: Event) => {
        if (attribute.value) attribute.value.call(target, event)
      },
    })
  const had = attribute.value
  attribute.value = typeof value === 'function' ? value : null
  if (had && !attribute.value) target.removeEventListener(type, attribute.listener)
  else if (!had && attribute.value) target.addEventListener(type, attribute.listener)
  return all
}
