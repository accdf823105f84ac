/** Orders whose total (in cents) is above this wait for approval (`APPROVAL_LIMIT`, default 500000: 5,000.00). */
export function approvalLimit(env: NodeJS.ProcessEnv = process.env): number {
  return positive(env.APPROVAL_LIMIT, 500_000, 'APPROVAL_LIMIT');
}

/** How long an order waits for its approval, in ms (`APPROVAL_TIMEOUT_MS`, default a day). */
export function approvalTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return positive(env.APPROVAL_TIMEOUT_MS, 86_400_000, 'APPROVAL_TIMEOUT_MS');
}

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(raw)}.`);
  return n;
}
