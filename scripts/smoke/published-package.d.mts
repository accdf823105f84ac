/** Checks of a package's tarball as it would be published (see published-package.mjs). */
export function publishedPackageChecks(packageDir: URL): { title: string; run: () => Promise<void> }[];
