// Two projects: unit tests in Node (tfjs CPU backend), browser tests driving Debian Chromium on the playground.
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { transform: { react: { runtime: 'automatic', importSource: 'preact' } } } }] };
module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/unit/quiet-tfjs-node-hint.ts'],
    },
    {
      displayName: 'browser',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      globalSetup: '<rootDir>/test/browser/support/require-browser.ts',
      slowTestThreshold: 60,
    },
  ],
};
