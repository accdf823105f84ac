// Prints the top functions of a .cpuprofile (from `node --cpu-prof`) by self time (all code, and
// Orka's own: packages/core and packages/nestjs) and Orka's by inclusive time.
// Usage: node dist/tools/cpuprofile-top.js <file> [--top N]
import { readFileSync } from 'node:fs';
import { parseArgs } from '../lib/args.js';
import {
  busyMs,
  isOrka,
  markdownTop,
  topInclusiveTime,
  topSelfTime,
  type CpuProfile,
} from '../lib/cpuprofile.js';

const args = parseArgs();
const file = process.argv[2];
if (!file || file.startsWith('--')) throw new Error('usage: cpuprofile-top <file.cpuprofile> [--top N]');
const top = Number(args.values.get('top') ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
console.log(`${file}: ${busyMs(profile).toFixed(0)} ms busy`);
console.log(`\nSelf time, all code\n${markdownTop(topSelfTime(profile, () => true, top))}`);
console.log(`\nSelf time, Orka code\n${markdownTop(topSelfTime(profile, isOrka, top))}`);
console.log(
  `\nInclusive time, Orka code\n${markdownTop(topInclusiveTime(profile, isOrka, top), 'inclusive')}`,
);
