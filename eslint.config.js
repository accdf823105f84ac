// ESLint 9 flat config for the whole workspace (`npm run lint` at the root).
// TypeScript files get typescript-eslint's type-aware rules (each file is checked with its package's
// tsconfig.json, found by the project service); plain JS files (configs, scripts) get the JS rules.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/', '**/coverage/', '.ci-results/', '**/*.d.ts', '**/*.d.mts']),
  // compat/*: standalone npm projects outside the workspace, whose dependencies are installed only when
  // their suite runs (after lint); ts-jest type-checks their specs there.
  globalIgnores(['compat/', '.cache/', '.pack/']),
  // A circle of imports planted on purpose: docs/test checks that the import-circle rule reports it.
  globalIgnores(['docs/test/fixtures/']),
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.{ts,mts,cts}'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `items[0]!` stays allowed: noUncheckedIndexedAccess is off, yet such assertions document intent
      // and keep the code correct if that option is ever turned on.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Handlers, factories and hooks are often `async` only to return a promise, as the API asks.
      '@typescript-eslint/require-await': 'off',
      // Passing a caught `unknown` on unchanged is how errors keep their identity (K3), as with `throw err`.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingUnknown: true, allowThrowingAny: true },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests: mocks, fakes and deliberately wrong calls are normal here.
    files: ['**/test/**/*.ts', '**/smoke/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-empty-function': 'off',
      // Tests reject with non-Error values on purpose (the kernel must pass them through untouched).
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      // `expect(service.method).toHaveBeenCalled()` passes methods unbound on purpose.
      '@typescript-eslint/unbound-method': 'off',
      // Floating promises stay errors (an un-awaited `expect(...).rejects` passes silently);
      // `void promise` marks an intentional one.
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
    },
  },
  {
    // Type-level tests: every `@ts-expect-error` is an assertion, and values exist only to be typed.
    files: ['**/test/types/**/*.ts'],
    rules: {
      '@typescript-eslint/ban-ts-comment': 'off',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
    },
  },
);
