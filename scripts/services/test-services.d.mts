/** A server a suite talks to; `stop()` stops it when the harness started it (a no-op otherwise). */
export interface TestService {
  url: string;
  started: boolean;
  stop(): Promise<void>;
}
/** A PostgreSQL server: ORKA_TEST_DATABASE_URL, else 127.0.0.1:5432, else one started here; else throws how to get one. */
export function ensurePostgres(): Promise<TestService>;
/** A Redis server: ORKA_TEST_REDIS_URL, else 127.0.0.1:6379, else one started here; else throws how to get one. */
export function ensureRedis(): Promise<TestService>;
