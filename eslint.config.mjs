import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Lint, including the package dependency rules of DESIGN.md, encoded as nx tags
 * (`nx.tags` in each package.json) and enforced by @nx/enforce-module-boundaries.
 */
export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', 'runs/**', 'tools/generators/**/files/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', globalThis: 'readonly' } },
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] },
  },
  {
    // Package and app sources only: build configs legitimately import the shared root recipe.
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          enforceBuildableLibDependency: false,
          depConstraints: [
            { sourceTag: 'type:core', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:backend', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:architectures', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:metrics', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core'] },
            { sourceTag: 'type:experiments', onlyDependOnLibsWithTags: ['type:core', 'type:architectures', 'type:metrics', 'type:data'] },
            { sourceTag: 'type:report', onlyDependOnLibsWithTags: ['type:experiments', 'type:core'] },
            { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:core', 'type:backend', 'type:architectures', 'type:metrics', 'type:data', 'type:experiments', 'type:report'] },
            // An app picks backends like the CLI, and reads the registries (names, option schemas) to build its forms.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:core', 'type:backend', 'type:architectures', 'type:metrics', 'type:data', 'type:experiments', 'type:report'] },
            { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
);
