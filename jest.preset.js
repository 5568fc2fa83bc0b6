// Shared jest settings: swc transpiles (type checking is `npm run check`), with decorator
// metadata on because NestJS dependency injection reads it.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const ESM_ONLY = [
  '@kubernetes/client-node',
  'openid-client',
  'oauth4webapi',
  'jose',
  'hpagent',
  'isomorphic-ws',
  'content-disposition',
  'glob',
  'minimatch',
  'path-scurry',
  'lru-cache',
  'balanced-match',
  'brace-expansion',
  '@isaacs',
  'jackspeak',
  'package-json-from-dist',
];

module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', swc], '^.+\\.mjs$': ['@swc/jest', swc] },
  // Jest on Node 20 cannot require() ES modules; these packages ship ESM only, so swc turns them
  // into CommonJS (Node itself loads them natively).
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  moduleFileExtensions: ['ts', 'js', 'json', 'mjs'],
  testTimeout: 30000,
};
