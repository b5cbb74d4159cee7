// ESLint keeps the small things out of review; tsc (strict) already checks types and unused names.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', 'test/e2e/.work/**', '.bench-out/**', 'test/conformance/golden/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        globalThis: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        AbortController: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      // tsc's noUnusedLocals reports these already, with the compiler's own exceptions.
      '@typescript-eslint/no-unused-vars': 'off',
      'no-unused-vars': 'off',
      // The Python runtime and the JSON-RPC layer handle values of unknown shape on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests and the e2e suite load CommonJS-only tools.
      '@typescript-eslint/no-require-imports': 'off',
      // The Python runtime and the tests match control characters and runs of spaces on purpose.
      'no-control-regex': 'off',
      'no-regex-spaces': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  // The extension-host suite runs under Mocha's TDD interface.
  {
    files: ['test/e2e/suite/**/*.js'],
    languageOptions: {
      globals: { suite: 'readonly', suiteSetup: 'readonly', suiteTeardown: 'readonly', test: 'readonly', setup: 'readonly', teardown: 'readonly' },
    },
  },
);
