import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// Tests import the packages by name and get their TypeScript sources; the bundle and browser
// suites load the built files from dist/ themselves.
const alias = {
  '@ssekit/polyfill/auto': source('./packages/polyfill/src/auto.ts'),
  '@ssekit/polyfill/node': source('./packages/polyfill/src/node.ts'),
  '@ssekit/polyfill/legacy': source('./packages/polyfill/src/legacy.ts'),
  '@ssekit/polyfill': source('./packages/polyfill/src/index.ts'),
  '@ssekit/client/polyfilled': source('./packages/client/src/polyfilled.ts'),
  '@ssekit/client': source('./packages/client/src/index.ts'),
}

export default defineConfig({
  resolve: { alias },
  test: {
    reporters: process.env.CI ? ['default'] : ['default'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: ['test/browser/**', '**/*.jsdom.test.ts', '**/node_modules/**'],
          typecheck: { enabled: true, include: ['**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'jsdom',
          environment: 'jsdom',
          include: ['test/conformance/**/*.test.ts', '**/*.jsdom.test.ts'],
          exclude: ['**/node_modules/**'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'chromium',
          environment: 'node',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 30_000,
        },
      },
    ],
  },
})
