/** The command line of a suite: `--quick`, `--out <file>`, and `--name value` / `--flag` pairs. */
export interface SuiteArgs {
  quick: boolean;
  out: string | undefined;
  values: Map<string, string>;
  flags: Set<string>;
}

export function parseArgs(argv: readonly string[] = process.argv.slice(2)): SuiteArgs {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq !== -1) values.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) values.set(arg.slice(2), argv[++i]!);
    else flags.add(arg.slice(2));
  }
  return { quick: flags.has('quick'), out: values.get('out'), values, flags };
}
