// Lints supagate's own source. (A user's project uses `supagate.configs.recommended`; see README.)
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'test-fixtures/**', 'bench/out/**', 'docs/**'] },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/tests/**/*.ts', 'bench/**/*.{js,ts}'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
