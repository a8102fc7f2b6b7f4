import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist.*/**',
      'build/**',
      'node_modules/**',
      'coverage/**',
      'scripts/**',
      '*.config.*',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'Export names explicitly; no `export *`.' },
      ],
    },
  },
  {
    files: [
      'lib/metrics/**/*.ts',
      'lib/logger/**/*.ts',
      'lib/index.ts',
      'lib/testing/**/*.ts',
      'lib/client/**/*.ts',
      'lib/dashboard/page/**/*.ts',
    ],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'worker_threads', 'http', 'os'],
              message: 'The core is browser-safe: no Node modules.',
            },
            {
              group: ['@opentelemetry/*'],
              message: 'Optional peers stay optional: only lib/adapters/otel imports OpenTelemetry.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@opentelemetry/*'],
              message: 'Optional peers stay optional: only lib/adapters/otel imports OpenTelemetry.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['spec/**/*.ts', 'bench/**/*.ts', 'demos/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
