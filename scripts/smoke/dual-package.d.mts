export interface SmokeCheck {
  title: string;
  run: () => void;
}

export interface DualPackageOptions {
  /** Names that must be exported, per exports-map subpath (".", "./otel", ...). */
  expectedExports?: Record<string, string[]>;
}

/** Checks that a built package loads through require() and import() and that both builds agree. */
export function dualPackageChecks(packageDirOrUrl: string | URL, options?: DualPackageOptions): SmokeCheck[];
