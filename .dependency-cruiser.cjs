// Import rules checked by `npm run lint` (dependency-cruiser). Type-only imports count: a circle of
// types is as hard to read as one of values, and it is how value circles start.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules must not import each other in a circle (docs/architecture.md): move the shared part down.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernel-knows-no-framework',
      severity: 'error',
      comment: '@orka/core imports nothing of Nest, rxjs or class-validator: the plugin adapts the kernel, never the reverse.',
      from: { path: '^packages/core/src' },
      to: { path: '@nestjs|rxjs|class-(validator|transformer)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    exclude: { path: '(^|/)(dist|node_modules)/' },

  },
};
