import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Layers point one way: the domain owns its outcomes (shared/domain/errors.ts) and shared/http/ maps
 * them to statuses, so nothing under shared/domain/ or shared/db/ imports from shared/http/; pure
 * engines load nothing either, so shared/domain/ does not import shared/db/. Any relative path that
 * passes through a folder of that name is refused, however it climbs.
 */
export const LAYER_RULES = {
  'shared/domain': [
    { regex: '(^|/)http/', message: 'shared/domain/ must not import shared/http/: return or throw a domain error (shared/domain/errors.ts); the edge maps it.' },
    { regex: '(^|/)db/', message: 'shared/domain/ is pure: load and persist in shared/db/, and pass the data in.' },
  ],
  'shared/db': [
    { regex: '(^|/)http/', message: 'shared/db/ must not import shared/http/: throw a domain error (shared/domain/errors.ts); the edge maps it.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.keiro/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `import { z }` binds zod's namespace object, which keeps all of zod (~455 kB) in every Lambda
      // bundle; the namespace import lets esbuild keep only what is used (tests/bench/README.md).
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value=/^zod/][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Write `import * as z from 'zod'`: `import { z }` puts all of zod into every Lambda bundle.",
        },
      ],
    },
  },
  ...Object.entries(LAYER_RULES).map(([folder, patterns]) => ({
    files: [`${folder}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    // Tests read JSON bodies of many shapes; `any` keeps assertions short there.
    files: ['tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
