// One lint configuration for the whole repo; every workspace runs `eslint .` with zero warnings.
import js from '@eslint/js';
import path from 'node:path';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  // The scripts (npm start, npm run demo) are code a newcomer runs first: linted like the rest,
  // type-checked through JSDoc (scripts/tsconfig.json).
  { ignores: ['!scripts/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Explicit `: number` on initialised fields is needed: decorator metadata reads it.
      '@typescript-eslint/no-inferrable-types': 'off',
      // NestJS classes are often decorated shells.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // Every workspace declares what it imports: a package that only resolves through npm's
    // hoisting breaks the day another workspace drops it, and `turbo prune` leaves it out of an
    // app's image. Each file is checked against its nearest package.json.
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver()] },
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        {
          // Tests may use devDependencies; shipped code may not.
          devDependencies: ['**/*.spec.ts', '**/test/**', 'tests/**'],
          peerDependencies: true,
          // A type a library's declarations name must be installed wherever they are read.
          includeTypes: true,
          // Workspace packages (@platform/*) resolve outside node_modules; check them too.
          includeInternal: true,
        },
      ],
    },
  },
  {
    // The repo-wide suites and scripts import the workspaces, which npm links at the root by
    // definition (no hoisting luck involved). Declaring them in the root package.json would make
    // \`turbo prune\` pull every one into each image's build, so only outside packages are checked.
    files: ['tests/**', 'scripts/**'],
    rules: {
      'import-x/no-extraneous-dependencies': [
        'error',
        { devDependencies: true, peerDependencies: true, includeTypes: true, includeInternal: false },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs'],
    // tsc with checkJs (check:repo) already fails on an undefined name, and knows Node's globals.
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts'],
    rules: {
      // Jest matchers and mocks are loosely typed by design.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The sandbox's map (tools/sandbox/README.md) held by lint: an upstream's server and its
    // controller share only core/ and their types (argo-cd/shared, argo-workflows/workflow-types),
    // the Kubernetes side knows no Argo, and only the composition roots (sandbox.ts, cli.ts,
    // index.ts) wire the platform in. A shared piece moves to core/ or the types, not into a rule.
    files: ['tools/sandbox/src/**/*.ts'],
    plugins: { 'import-x': importX },
    // Relative imports name .ts files without their extension.
    settings: { 'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })] },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: path.join(import.meta.dirname, 'tools/sandbox/src'),
          zones: [
            {
              target: './argo-cd/server',
              from: './argo-cd/controller',
              message: 'the Argo CD server shares only core/ and argo-cd/shared with the controller',
            },
            {
              target: './argo-cd/controller',
              from: './argo-cd/server',
              message: 'the Argo CD controller shares only core/ and argo-cd/shared with the server',
            },
            {
              target: './argo-cd/shared',
              from: ['./argo-cd/server', './argo-cd/controller'],
              message: 'argo-cd/shared is what server and controller both read; it knows neither',
            },
            {
              target: './argo-workflows/server',
              from: ['./argo-workflows/controller', './argo-workflows/executors'],
              message:
                'the Argo Workflows server shares only core/ and workflow-types.ts with the controller',
            },
            {
              target: ['./argo-workflows/controller', './argo-workflows/executors'],
              from: './argo-workflows/server',
              message:
                'the Argo Workflows controller shares only core/ and workflow-types.ts with the server',
            },
            {
              target: './argo-workflows/workflow-types.ts',
              from: ['./argo-workflows/server', './argo-workflows/controller', './argo-workflows/executors'],
              message: 'the workflow types are shared by server and controller; they import neither',
            },
            {
              target: './kubernetes/api',
              from: './kubernetes/controllers',
              message: 'the API server knows no controller; they meet in the store (core/)',
            },
            {
              target: './kubernetes/controllers',
              from: './kubernetes/api',
              message: 'the Kubernetes controllers share only core/ with the API server',
            },
            {
              target: './kubernetes',
              from: ['./argo-cd', './argo-workflows'],
              message: 'Kubernetes knows no Argo: shared shapes go to core/ (e.g. core/pod-spec.ts)',
            },
            {
              target: './!(platform|sandbox.ts|cli.ts|index.ts)/**',
              from: './platform/**',
              message: 'only the composition roots (sandbox.ts, cli.ts, index.ts) wire the platform in',
            },
          ],
        },
      ],
    },
  },
  {
    // The upstream imitations know nothing of this platform: its names (@platform/domain) are
    // read in platform/ alone, like everything else that knows the platform.
    files: ['tools/sandbox/src/**/*.ts'],
    ignores: ['tools/sandbox/src/platform/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@platform/domain',
              message: 'only platform/ knows the platform (tools/sandbox/README.md)',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
