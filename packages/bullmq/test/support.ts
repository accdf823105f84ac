import { DurableRunner, type Pipeline, type RunnerRole } from '@orka/core';
import { PostgresRunStore } from '@orka/postgres';
import pg from 'pg';
import { ensurePostgres, ensureRedis, type TestService } from '../../../scripts/services/test-services.mjs';
import { BullMqTransport } from '../src/index.js';

/** A PostgreSQL and a Redis for a test file (S6), and a schema and a key prefix of its own for each test. */
export class Servers {
  private postgres: TestService | undefined;
  private redis: TestService | undefined;
  private readonly schemas: string[] = [];
  private n = 0;

  async start(): Promise<void> {
    [this.postgres, this.redis] = await Promise.all([ensurePostgres(), ensureRedis()]);
  }

  /** A fresh place for one test's runs: a schema and a queue key prefix nobody else uses. */
  fresh(): { schema: string; prefix: string } {
    const id = `${process.pid}_${Date.now().toString(36)}_${++this.n}`;
    this.schemas.push(`orka_bq_${id}`);
    return { schema: `orka_bq_${id}`, prefix: `orka-test-${id}` };
  }

  /** A runner on this test's store and queue. */
  runner(
    place: { schema: string; prefix: string },
    pipelines: Pipeline<never>[],
    options: { role: RunnerRole; owner: string; leaseMs?: number; pollMs?: number; concurrency?: number },
  ): DurableRunner {
    const url = new URL(this.redis!.url);
    const leaseMs = options.leaseMs ?? 5_000;
    return new DurableRunner({
      store: new PostgresRunStore({ connectionString: this.postgres!.url, schema: place.schema, max: 4 }),
      pipelines: pipelines as never,
      transport: new BullMqTransport({
        connection: { host: url.hostname, port: Number(url.port || 6379) },
        prefix: place.prefix,
        lockDurationMs: leaseMs,
        concurrency: options.concurrency ?? 8,
      }),
      role: options.role,
      owner: options.owner,
      leaseMs,
      pollMs: options.pollMs ?? 3_600_000,
    });
  }

  async stop(): Promise<void> {
    const pool = new pg.Pool({ connectionString: this.postgres!.url, max: 1 });
    for (const schema of this.schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
    await this.postgres?.stop();
    await this.redis?.stop();
  }
}
