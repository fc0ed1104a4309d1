// TypeDoc plugin for `pnpm docs:api`: names each entry point's module after the import that
// reaches it (`@ssekit/polyfill/legacy`), not after its file path (`polyfill/src/legacy`).
import { Converter, ReflectionKind } from 'typedoc'

const names = {
  'polyfill/src': '@ssekit/polyfill',
  'polyfill/src/legacy': '@ssekit/polyfill/legacy',
  'polyfill/src/node': '@ssekit/polyfill/node',
  'client/src': '@ssekit/client',
  'client/src/polyfilled': '@ssekit/client/polyfilled',
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = names[module.name]
      if (!name) throw new Error(`typedoc.plugin.mjs: no import name for the module "${module.name}"; add it to \`names\``)
      module.name = name
    }
  })
}
