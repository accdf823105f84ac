// Checks that keep the repository true to its docs: every rule a test or a comment cites is defined
// here, the source folders keep the shape docs/architecture.md describes, and the import-circle rule
// of `npm run lint` does catch a circle. Plain JavaScript: no transform.
/** @type {import('jest').Config} */
export default {
  displayName: 'docs',
  rootDir: import.meta.dirname,
  roots: ['<rootDir>/test'],
  testRegex: '\\.spec\\.mjs$',
  testEnvironment: 'node',
  transform: {},
};
