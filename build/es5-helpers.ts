import type { Plugin } from 'rollup'

/**
 * Leaner stand-ins for the SWC helpers whose general case the script-tag bundles' sources never
 * reach. Those sources run without `Symbol`, iterables or `Map` (CONTRIBUTING), destructure arrays
 * only, and extend three kinds of base class: `Error`, the platform's `EventTarget` (or its
 * stand-in) and their own classes. Each module exports `_`, as the helper it replaces.
 */
const lean: Record<string, string> = {
  // `const [a, b] = f()`: the array is its own result, where the general helper (with the five it
  // calls, ~0.9 KB minified) walks an iterator. Anything else fails loudly, as in IE without `Symbol.iterator`.
  _sliced_to_array: `export function _(array) {
    if (!Array.isArray(array)) throw new TypeError('not an array')
    return array
  }`,
  // `super(...)` in a constructor: the parent's constructor runs on the new object, or, where it is
  // native and `Reflect.construct` can (Chromium's `EventTarget`, `Error`), makes it with the
  // subclass's prototype. What it returns replaces `this` only when it is an object, as with
  // `new`; the general helper's check for a `super()` never called cannot fail in compiled code.
  _call_super: `import { _ as getPrototypeOf } from '@swc/helpers/_/_get_prototype_of'
  import { _ as nativeReflect } from '@swc/helpers/_/_is_native_reflect_construct'
  export function _(self, Derived, args) {
    var Parent = getPrototypeOf(Derived)
    var made = nativeReflect() ? Reflect.construct(Parent, args || [], getPrototypeOf(self).constructor) : Parent.apply(self, args)
    return made !== null && (typeof made === 'object' || typeof made === 'function') ? made : self
  }`,
  // `extends Error`, the one native class these sources wrap: `Error(...)` makes an error however it
  // is called, which then takes the subclass's prototype (`this`'s). The general helper also caches
  // wrappers in a `Map` and wraps any native class through `Function.bind`.
  _wrap_native_super: `import { _ as getPrototypeOf } from '@swc/helpers/_/_get_prototype_of'
  import { _ as setPrototypeOf } from '@swc/helpers/_/_set_prototype_of'
  export function _(Native) {
    function Wrapper() {
      return setPrototypeOf(Native.apply(null, arguments), getPrototypeOf(this))
    }
    Wrapper.prototype = Object.create(Native.prototype, { constructor: { value: Wrapper, writable: true, configurable: true } })
    return setPrototypeOf(Wrapper, Native)
  }`,
  // `class A extends B`: B is always a constructor here (`Error`'s wrapper, the platform's base
  // class, our own), so the general helper's check for `null` or a non-function is dead weight.
  _inherits: `import { _ as setPrototypeOf } from '@swc/helpers/_/_set_prototype_of'
  export function _(Class, Parent) {
    Class.prototype = Object.create(Parent.prototype, { constructor: { value: Class, writable: true, configurable: true } })
    setPrototypeOf(Class, Parent)
  }`,
}

const prefix = '\0es5-helper:'

/** Resolves SWC's imports of the helpers above (`@swc/helpers/_/NAME`) to their lean modules. */
export function es5Helpers(): Plugin {
  return {
    name: 'es5-helpers',
    resolveId(source) {
      const name = source.slice(source.lastIndexOf('/') + 1)
      return source.indexOf('@swc/helpers/') === 0 && lean[name] ? prefix + name : null
    },
    load: (id) => (id.indexOf(prefix) === 0 ? lean[id.slice(prefix.length)]! : null),
  }
}
