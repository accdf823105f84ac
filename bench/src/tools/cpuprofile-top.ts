// Prints the top self-time functions of a .cpuprofile (from `node --cpu-prof`): all code, and Orka's
// own code (packages/core and packages/nestjs). Usage: node dist/tools/cpuprofile-top.js <file> [--top N]
import { readFileSync } from 'node:fs';
import { parseArgs } from '../lib/args.js';
import { isOrka, markdownTop, topSelfTime, type CpuProfile } from '../lib/cpuprofile.js';

const args = parseArgs();
const file = process.argv[2];
if (!file || file.startsWith('--')) throw new Error('usage: cpuprofile-top <file.cpuprofile> [--top N]');
const top = Number(args.values.get('top') ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
const totalMs = profile.timeDeltas.reduce((a, b) => a + b, 0) / 1000;
console.log(`${file}: ${totalMs.toFixed(0)} ms sampled`);
console.log(`\nTop self time, all code\n${markdownTop(topSelfTime(profile, () => true, top))}`);
console.log(`\nTop self time, Orka code\n${markdownTop(topSelfTime(profile, isOrka, top))}`);
