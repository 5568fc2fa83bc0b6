// The repository's rules, plus: src runs in browsers too, so it may not import Node's modules.
import root from '../../eslint.config.mjs';

export default [
  ...root,
  {
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:*'], message: 'src runs in browsers: use web APIs (fetch, streams)' }] },
      ],
    },
  },
];
