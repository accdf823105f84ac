import { runFailure, TraceCollector } from '@orka/core';
import { onboarding, type OnboardingContext } from './onboarding.js';

// A runnable tour of the kernel: three runs of the onboarding pipeline, their step records, the
// branches they took, and the pipeline's diagram.

async function show(title: string, input: OnboardingContext): Promise<void> {
  console.log(`\n== ${title}: ${JSON.stringify(input)}`);
  const trace = new TraceCollector();
  try {
    const result = await onboarding.run(input, { observer: trace.observer });
    console.log(`  outcome: ${result.outcome} in ${result.durationMs.toFixed(2)} ms`);
    console.log(`  context: ${JSON.stringify(result.context)}`);
    console.log('  steps:');
    for (const r of result.steps) {
      const extra = [
        r.branch !== undefined ? `branch ${r.branch}` : '',
        r.reason ? `reason: ${r.reason}` : '',
        `attempts ${r.attempts}`,
        `${r.durationMs.toFixed(3)} ms`,
      ].filter(Boolean);
      console.log(`    ${r.step.padEnd(24)} ${r.status.padEnd(10)} ${extra.join(', ')}`);
    }
    console.log(`  branches: ${JSON.stringify(trace.branches(result.runId))}`);
    console.log(`  events: ${trace.events.length} (sub-runs included)`);
  } catch (err) {
    const where = runFailure(err);
    console.log(`  failed: ${(err as Error).name}: ${(err as Error).message}`);
    console.log(`  where: pipeline ${where?.pipeline}, step ${where?.step}, run ${where?.runId}`);
  }
}

await show('basic plan', { email: 'ada@example.com', planType: 'basic' });
await show('premium plan', { email: 'grace@example.com', planType: 'premium' });
await show('unknown plan (ifNoMatch(Stop))', { email: 'linus@example.com', planType: 'enterprise' });
await show('invalid input', { email: 'nobody', planType: 'basic' });

console.log('\n== plan() of a basic signup without an email (nothing runs):');
for (const p of onboarding.plan({ email: '', planType: 'basic' })) {
  console.log(`  ${p.step.padEnd(24)} ${p.action}${p.reason ? ` (${p.reason})` : ''}`);
}

console.log('\n== The onboarding pipeline as a Mermaid diagram (paste into https://mermaid.live):\n');
console.log(onboarding.toMermaid());
