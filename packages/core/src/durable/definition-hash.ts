import { createHash } from 'node:crypto';
import type { Pipeline } from '../pipeline.js';

/**
 * The hash of a pipeline's definition (D5): its steps, their order, branches, sub-pipelines (with
 * their own hashes, so that a change in one is a change of every pipeline that runs it), dependencies,
 * policies, waits and `version`. Two processes with the same definitions compute the same hash.
 */
export function definitionHashes(pipelines: ReadonlyMap<string, Pipeline<unknown>>): Map<string, string> {
  const hashes = new Map<string, string>();
  const visiting = new Set<string>();
  const hashOf = (name: string): string => {
    const known = hashes.get(name);
    if (known !== undefined) return known;
    const pipeline = pipelines.get(name);
    // A sub-pipeline the runner does not have, or a cycle (a validation error anyway): its name stands for it.
    if (pipeline === undefined || visiting.has(name)) return `unknown:${name}`;
    visiting.add(name);
    const description = pipeline.describe();
    const subs = [...new Set(description.steps.flatMap((s) => s.subPipelines))].sort();
    const hash = createHash('sha256')
      .update(JSON.stringify({ description, subs: subs.map((sub) => [sub, hashOf(sub)]) }))
      .digest('hex')
      .slice(0, 32);
    visiting.delete(name);
    hashes.set(name, hash);
    return hash;
  };
  for (const name of pipelines.keys()) hashOf(name);
  return hashes;
}
