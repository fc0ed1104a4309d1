/**
 * A dictionary keyed by event type. An `Object.create(null)` one is a hash table (~190 B); an
 * instance of this stays a fast object (~40 B), and with no `Object.prototype` behind it no key,
 * `__proto__` included, is special.
 */
export const Dictionary = /* @__PURE__ */ (() => {
  const Made = function () {} as unknown as new <T>() => { [type: string]: T | undefined }
  Made.prototype = Object.create(null)
  return Made
})()
