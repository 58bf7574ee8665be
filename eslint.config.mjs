import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';
import drizzle from 'eslint-plugin-drizzle';

/**
 * Import boundaries: arrows point one way, app → lib → db (README, Architecture). Each folder gets
 * the imports it must not make, by the `@/` alias or by a relative path climbing out of it.
 */
const into = (...folders) => `^(@/|(\\.\\./)+)(${folders.join('|')})(/|$)`;
const restrict = (...patterns) => ['error', { patterns }];
const COMPONENTS = {
  regex: into('app', 'db'),
  message: 'components/ never import app/ or db/: take data as props, actions from lib/ (README, Architecture).',
};
const LIB = { regex: into('app', 'components'), message: 'lib/ never imports app/ or components/: arrows point app → lib → db.' };
const DB = {
  regex: into('lib', 'app', 'components'),
  message: 'db/ holds schema, migrations and the connection only: it imports nothing of lib/, app/ or components/.',
};
const POLICY = {
  // Relative files of lib/policy itself, node builtins, zod; vitest and fast-check in its tests.
  regex: '^(?!(\\./|node:|zod$|vitest$|fast-check$))',
  message: 'lib/policy is pure: it imports only its own files (./), node builtins and zod.',
};
const ROUTE_DB = { regex: '^@/db(/|$)', message: 'A route handler is a transport: it calls a core function in lib/, never db/ directly.' };

const config = [
  ...nextVitals,
  ...nextTs,
  {
    plugins: { drizzle },
    rules: {
      'drizzle/enforce-delete-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
      'drizzle/enforce-update-with-where': ['error', { drizzleObjectName: ['db', 'tx'] }],
    },
  },
  {
    // Type-aware rules: a promise is awaited, returned or explicitly voided, never dropped.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      // `const { dropped, ...kept } = row` leaves a property out.
      '@typescript-eslint/no-unused-vars': ['warn', { ignoreRestSiblings: true }],
    },
  },
  { files: ['components/**'], rules: { 'no-restricted-imports': restrict(COMPONENTS) } },
  { files: ['lib/**'], rules: { 'no-restricted-imports': restrict(LIB) } },
  { files: ['lib/policy/**'], rules: { 'no-restricted-imports': restrict(POLICY) } },
  { files: ['db/**'], rules: { 'no-restricted-imports': restrict(DB) } },
  {
    files: ['app/api/**/route.ts'],
    rules: { 'no-restricted-imports': restrict(ROUTE_DB) },
  },
  { ignores: ['.next/**', 'node_modules/**', '.data/**', 'db/migrations/**', 'next-env.d.ts', 'test-results/**', 'playwright-report/**'] },
];
export default config;
