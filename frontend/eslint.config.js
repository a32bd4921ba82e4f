// ESLint for the web app: `npm run lint` (also run by `make web-test`).
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import reactHooks from 'eslint-plugin-react-hooks'
import { reactRefresh } from 'eslint-plugin-react-refresh'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default defineConfig(
  // Build output, screenshots from the e2e run, and the API types that
  // openapi-typescript generates from ../api/openapi.json (`npm run types`).
  globalIgnores(['dist/', 'node_modules/', 'screenshots/', 'src/api/schema.ts']),
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    // The app: type-aware rules, the Rules of React and Vite's fast refresh.
    files: ['src/**/*.{ts,tsx}'],
    extends: [tseslint.configs.recommendedTypeChecked, reactHooks.configs.flat.recommended, reactRefresh.configs.vite()],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // The build and lint configs and the e2e scripts run in Node and are not
    // in tsconfig.json, so they get the rules that need no type information.
    files: ['*.{js,ts}', 'e2e/**/*.mjs'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // The e2e scripts hand callbacks to page.evaluate, which run in the browser.
    files: ['e2e/**/*.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
)
