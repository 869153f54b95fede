import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unnecessary-condition': ['error', { allowConstantLoopConditions: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_' }],
    },
  },
  // Imports point one way: domain <- dmxapi <- pipeline <- discord. The shared vocabulary imports
  // nothing of ours, and the DMXAPI client knows neither the pipeline that drives it nor Discord.
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^\\.\\./',
              message: 'src/domain is the bottom layer: it imports nothing else of ours.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/dmxapi/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '/(pipeline|discord|history|i18n)/',
              message:
                'The DMXAPI client sits below the pipeline and Discord: share vocabulary through src/domain.',
            },
          ],
        },
      ],
    },
  },
  // One home for how replies look: colours are named in src/discord/replies.ts and used from there.
  {
    files: ['src/discord/**/*.ts'],
    ignores: ['src/discord/replies.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[raw=/^0x[0-9a-fA-F]{6}$/]',
          message: 'Colours live in src/discord/replies.ts (Colors); use those.',
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
