// Lint rules that keep DESIGN.md's habits true: no floating promises, type-only imports,
// no console outside main/cli, and process spawning / env reads only in their one module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // Fixtures are apps Berth builds (plain JS for Node or the browser), not Berth's own code.
  { ignores: ['node_modules/**', '.berth/**', 'coverage/**', 'dist/**', '.test-bundle/**', '.test-bundle.*/**', 'web/dist/**', 'web/dist.*/**', 'test/fixtures/**', 'web/src/api/openapi.ts', 'src/cli/api/openapi.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    // web/ has its own tsconfig (DOM, JSX); its Vite config is Node code outside both projects.
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['web/vite.config.ts'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'child_process', message: 'Spawn through src/engine/spawn.ts' }, { name: 'node:child_process', message: 'Spawn through src/engine/spawn.ts' }] },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Only src/config.ts reads process.env' }],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/core/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    files: ['src/main.ts', 'src/cli/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['src/config.ts', 'test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/engine/spawn.ts', 'test/**/*.ts', 'bench/**/*.ts', 'src/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
