// `node scripts/pnpm.mjs <args>`: runs the pinned pnpm (root "packageManager") without a global install.
import { pnpm } from './workspace.mjs';

process.exitCode = pnpm(process.argv.slice(2));
