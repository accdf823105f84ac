import { Injectable } from '@nestjs/common';
import { FaultSettings } from './fault-settings.js';
import { TransientError } from './transient-error.js';

/** A mail the fake mailer sent. */
export interface SentMail {
  to: string;
  subject: string;
  at: string;
}

/** A fake mailer that records what it sent and can be told to fail. */
@Injectable()
export class MailerService {
  readonly sent: SentMail[] = [];
  private readonly attemptsByRun = new Map<string, number>();

  constructor(private readonly faults: FaultSettings) {}

  /** Sends a mail; `attemptKey` identifies the run, so that "fail the first N attempts" counts per run. */
  async send(to: string, subject: string, attemptKey: string): Promise<void> {
    const faults = this.faults.current();
    const attempt = (this.attemptsByRun.get(attemptKey) ?? 0) + 1;
    this.attemptsByRun.set(attemptKey, attempt);
    // Runs whose every attempt failed leave their count behind: keep the most recent ones only.
    if (this.attemptsByRun.size > 10_000) this.attemptsByRun.delete(this.attemptsByRun.keys().next().value!);
    if (attempt <= faults.mailerFailTimes || Math.random() < faults.mailerFailureRate) {
      throw new TransientError(`mail server refused the message to ${to} (attempt ${attempt})`);
    }
    this.attemptsByRun.delete(attemptKey);
    this.sent.push({ to, subject, at: new Date().toISOString() });
  }
}
