import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

/** The machine and software a run measured on. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpus: cpus.length,
    memoryGB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

function versionOf(require: NodeJS.Require, pkg: string): string {
  try {
    const manifest = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as {
      version: string;
    };
    return manifest.version;
  } catch {
    return 'unknown';
  }
}

/** Versions of Node, V8 and the packages the benchmarks load. */
export function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const viaExpressAdapter = createRequire(require.resolve('@nestjs/platform-express/package.json'));
  return {
    node: process.versions.node,
    v8: process.versions.v8,
    '@orka/core': versionOf(require, '@orka/core'),
    '@orka/nestjs': versionOf(require, '@orka/nestjs'),
    '@nestjs/core': versionOf(require, '@nestjs/core'),
    '@nestjs/platform-express': versionOf(require, '@nestjs/platform-express'),
    express: versionOf(viaExpressAdapter, 'express'),
    'class-validator': versionOf(require, 'class-validator'),
    'class-transformer': versionOf(require, 'class-transformer'),
    autocannon: versionOf(require, 'autocannon'),
  };
}
