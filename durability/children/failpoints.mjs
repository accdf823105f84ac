// Failpoints: where a child kills itself (SIGKILL: no cleanup, no flush, as a crash), turned on by the
// test through ORKA_FAILPOINT (read once, at start). `<where>:<what>`, for example `in-handler:charge`,
// `before-commit:charge`, `after-commit:charge`, `after-start`, `in-compensation:charge`, `in-finisher`.
const spec = process.env.ORKA_FAILPOINT ?? '';

/** Dies here when the failpoint named so is on. */
export function failpoint(name) {
  if (spec === name) {
    process.stdout.write(`${JSON.stringify({ event: 'dying', at: name })}\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

/** The key of a committed step record in a write, when the write commits one. */
function committedStep(write) {
  for (const step of write.steps ?? []) {
    const data = JSON.parse(step.data);
    if (data.t === 'step') return step.key;
  }
  return undefined;
}

/**
 * The store with failpoints around its commits (the store itself is real), and a line on stdout for
 * every commit or lease renewal it refused (fencing, D4).
 */
export function withFailpoints(store) {
  const commit = store.commit.bind(store);
  store.commit = async (runId, lease, write) => {
    const key = committedStep(write);
    if (key !== undefined) failpoint(`before-commit:${key}`);
    const result = await commit(runId, lease, write);
    if (!result.ok)
      process.stdout.write(`${JSON.stringify({ event: 'commit-refused', key: key ?? null })}\n`);
    if (key !== undefined && result.ok) failpoint(`after-commit:${key}`);
    return result;
  };
  const renew = store.renew.bind(store);
  store.renew = async (runId, lease, leaseMs, now) => {
    const kept = await renew(runId, lease, leaseMs, now);
    if (!kept) process.stdout.write(`${JSON.stringify({ event: 'renew-refused' })}\n`);
    return kept;
  };
  return store;
}
