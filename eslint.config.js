import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'apps/api/src/db/migrations/**',
      '.test-data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2024, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: 'TSEnumDeclaration',
          message: 'Use a union or a zod enum: Node runs TypeScript by type stripping.',
        },
        { selector: 'TSParameterProperty', message: 'Parameter properties are not erasable syntax.' },
      ],
    },
  },
  // contracts imports only zod, and date-fns for the shared date formats (decision 025).
  {
    files: ['packages/contracts/src/**/*.ts'],
    ignores: ['packages/contracts/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          regex: '^(?!zod$|date-fns$|@date-fns/tz$|\\.{1,2}/).*',
          message: 'contracts imports only zod, date-fns and its own files.',
        },
      ]),
    },
  },
  // A module reaches another module only through its index.ts; routes never touch repositories or tables.
  {
    files: ['apps/api/src/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$).+',
          message: 'Import another module through its index.ts, never its repository, service or routes.',
        },
      ]),
    },
  },
  {
    files: ['apps/api/src/modules/**/*.routes.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { regex: '\\.repository\\.ts$', message: 'Routes call the service, never the repository.' },
        { regex: '/db/schema', message: 'Routes call the service, never the tables.' },
        {
          regex: '^\\.\\./(?!\\.\\.)[^/]+/(?!index\\.ts$).+',
          message: 'Import another module through its index.ts.',
        },
      ]),
    },
  },
  {
    files: ['apps/api/src/**/*.ts'],
    ignores: ['apps/api/src/config.ts', 'apps/api/src/db/embedded.ts', 'apps/api/src/**/*.test.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through config.ts.' },
      ],
    },
  },
  // In the web app a feature never imports another feature; routes compose them.
  {
    files: ['apps/web/src/features/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restrict([
        { regex: '^\\.\\./\\.\\./features/', message: 'A feature never imports another feature.' },
        { regex: '^@/features/', message: 'A feature never imports another feature.' },
      ]),
    },
  },
  {
    files: ['apps/web/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
