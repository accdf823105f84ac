import type { LoggerService } from '@nestjs/common';

/** A logger that keeps every line, to read what the server logged. */
export class CapturingLogger implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];
  private keep(level: string, message: unknown, params: unknown[]) {
    const text = [message, ...params]
      .map((p) => (p instanceof Error ? String(p.stack) : typeof p === 'string' ? p : JSON.stringify(p)))
      .join(' | ');
    this.lines.push({ level, text });
  }
  log(message: unknown, ...params: unknown[]) {
    this.keep('log', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.keep('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.keep('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.keep('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.keep('verbose', message, params);
  }
  errors(): string[] {
    return this.lines.filter((l) => l.level === 'error').map((l) => l.text);
  }
}
