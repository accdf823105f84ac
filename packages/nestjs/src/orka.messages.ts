// Every user-facing message of the plugin, in one place. Definition problems read
// `Class.method: what is wrong; what to do`.

const q = (s: string) => `"${s}"`;

export const WHEN_WITHOUT_STEP = (cls: string, method: string) =>
  `${cls}.${method}: @When needs @Step('name') on the same method to say which step it is a branch of.`;
export const OTHERWISE_WITHOUT_STEP = (cls: string, method: string) =>
  `${cls}.${method}: @Otherwise needs @Step('name') on the same method to say which step it is the fallback of.`;
export const WHEN_AND_OTHERWISE = (cls: string, method: string) =>
  `${cls}.${method}: a method is either a @When branch or the @Otherwise branch, not both; remove one.`;
export const OTHERWISE_WITHOUT_WHEN = (cls: string, method: string, step: string) =>
  `${cls}.${method}: @Otherwise on step ${q(step)} has no @When sibling; add @When branches to the step, or drop @Otherwise and make the method a plain @Step handler.`;
export const TWO_OTHERWISE = (cls: string, methods: string[], step: string) =>
  `${methods.map((m) => `${cls}.${m}`).join(', ')}: step ${q(step)} has more than one @Otherwise branch; keep one.`;
export const SKIP_WITHOUT_STEP = (cls: string, method: string) =>
  `${cls}.${method}: @SkipIf needs @Step('name') on the same method to say which step it skips.`;
export const TWO_SKIPS = (cls: string, methods: string[], step: string) =>
  `${methods.map((m) => `${cls}.${m}`).join(', ')}: step ${q(step)} has @SkipIf on more than one method; put one on one method.`;
export const SUB_PIPELINE_WITHOUT_STEP = (cls: string, method: string) =>
  `${cls}.${method}: @SubPipeline needs @Step('name') on the same method.`;
export const SUB_PIPELINE_BESIDE_HANDLERS = (cls: string, method: string, step: string) =>
  `${cls}.${method}: @SubPipeline without @When or @Otherwise makes step ${q(step)} run that sub-pipeline, but the step has other plain handlers; mark the method @Otherwise, or move the handlers to @Before/@After.`;
export const COMPENSATE_UNKNOWN_STEP = (cls: string, method: string, step: string, known: string[]) =>
  `${cls}.${method}: @Compensate names step ${q(step)}, which the pipeline does not have (its steps: ${known.map(q).join(', ') || 'none'}).`;
export const TWO_COMPENSATIONS = (cls: string, methods: string[], step: string) =>
  `${methods.map((m) => `${cls}.${m}`).join(', ')}: step ${q(step)} has more than one @Compensate method; keep one.`;
export const OPTIONS_ON_TWO_METHODS = (cls: string, methods: string[], step: string) =>
  `${methods.map((m) => `${cls}.${m}`).join(' and ')}: both give options for step ${q(step)}; give a step's options on one of its methods only.`;
export const STEP_NOT_DECLARED = (
  cls: string,
  methods: string[],
  step: string,
  declared: readonly string[],
  suggestion: string | undefined,
) =>
  `${methods.map((m) => `${cls}.${m}`).join(', ')}: step ${q(step)} is not in @Pipeline({ steps }) (${declared.map(q).join(', ')})` +
  (suggestion === undefined
    ? '; add it to the list, or name one of the listed steps.'
    : `; did you mean ${q(suggestion)}?`);
export const SIMILAR_STEP_NAMES = (cls: string, method: string, step: string, near: string) =>
  `${cls}.${method}: conditional step ${q(step)} is within two edits of step ${q(near)}: did you mean ${q(near)}? ` +
  `A misspelt step name on a branch makes a second conditional step. Declare the steps with @Pipeline({ steps: [...] }), ` +
  `or set @Pipeline({ allowSimilarStepNames: true }) if both names are meant.`;
export const DEFINITION_PROBLEM = (cls: string, method: string | undefined, problem: string) =>
  `${method === undefined ? cls : `${cls}.${method}`}: ${problem}`;
export const DUPLICATE_PIPELINE_NAME = (name: string, classes: string[]) =>
  `${classes.join(', ')}: two pipelines are named ${q(name)}; give each @Pipeline({ name }) a unique name.`;
export const PIPELINE_PROVIDED_TWICE = (cls: string, name: string) =>
  `${cls}: pipeline ${q(name)} is listed in the providers of more than one module, which makes two instances; provide it in one module (and export it from there if other modules inject it).`;
export const NOT_A_PIPELINE_CLASS = (cls: string, method: string, target: string) =>
  `${cls}.${method}: @SubPipeline refers to ${target}, which is not a @Pipeline class provided in any module; add @Pipeline() to it and list it in a module's providers.`;
export const PIPELINES_SUBJECT = `Orka's pipeline configuration`;
export const PIPELINE_NOT_FOUND = (target: string, known: string[]) =>
  `No pipeline ${target} is registered. Registered pipelines: ${known.map(q).join(', ') || 'none'}. ` +
  `A pipeline is a class with @Pipeline() listed in a module's providers; a test double must also carry @Pipeline ` +
  `(a plain object given to useValue is not a pipeline).`;
export const SUB_FACTORY_NOT_A_PIPELINE = (cls: string, method: string, got: string) =>
  `${cls}.${method}: the @SubPipeline factory returned ${got}, which is not a registered @Pipeline class.`;
export const CONTEXT_OUTSIDE_RUN = (member: string) =>
  `OrkaContext.${member} was read outside a pipeline run. It is only available in steps and in the services they call, ` +
  `while a run started by PipelineRunner is in progress.`;
export const CONTEXT_DISABLED = (member: string) =>
  `OrkaContext.${member} was read, but run context tracking is off: Orka turns it on when a provider injects OrkaContext ` +
  `through its constructor. If you resolve OrkaContext dynamically (moduleRef.get), set OrkaModule.forRoot({ context: true }).`;
export const SHUTTING_DOWN = (pipeline: string) =>
  `The application is shutting down: PipelineRunner refuses new runs (pipeline ${q(pipeline)}).`;
export const SHUTDOWN_ABORT = (grace: number) =>
  `The application shut down: runs still in progress after the ${grace} ms grace period were aborted.`;
export const REQUEST_SCOPED_COST = (cls: string, name: string) =>
  `Pipeline ${q(name)} (${cls}) is request-scoped: each run resolves a fresh instance, and the providers it depends on, ` +
  `for its request through Nest DI (a DI resolution per run; about as costly as a request-scoped controller). ` +
  `Singleton pipelines pay nothing per run.`;
export const RUN_FAILED_LOG = (where: { pipeline: string; step: string; rootRunId: string }, err: unknown) =>
  `Run ${where.rootRunId} of pipeline ${q(where.pipeline)} failed in step ${q(where.step)}: ` +
  (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
export const RUN_FINISHED_LOG = (runId: string, pipeline: string, outcome: string, durationMs: number) =>
  `Run ${runId} of pipeline ${q(pipeline)} ${outcome} in ${durationMs.toFixed(1)} ms`;
export const RUN_STREAM_UNSUBSCRIBED = 'The subscriber of run$ unsubscribed (cancelOnUnsubscribe).';
export const OVERRIDE_UNKNOWN_PIPELINE = (pipeline: string) =>
  `overrideStep(${pipeline}, ...): no @Pipeline provider is registered for it; provide the pipeline in the testing module.`;
export const OVERRIDE_UNKNOWN_STEP = (pipeline: string, step: string, known: string[]) =>
  `overrideStep(${pipeline}, ${q(step)}): the pipeline has no such step; its steps are ${known.map(q).join(', ')}.`;
export const INPUT_NOT_AN_OBJECT = 'input must be an object';
export const PAYLOAD_NOT_AN_OBJECT = 'the signal payload must be an object';
export const INPUT_TOO_DEEP = (maxDepth: number) =>
  `input must not nest objects or arrays more than ${maxDepth} levels deep`;
export const STATE_IN_INPUT = (property: string) =>
  `property ${property} is set by the pipeline's steps and must not be given in the input`;
export const STEP_TIMEOUT_BODY = (pipeline: string, step: string, budgetMs: number) =>
  `Step ${q(step)} of pipeline ${q(pipeline)} did not finish within its ${budgetMs} ms budget.`;
export const RUN_TIMEOUT_BODY = (pipeline: string, budgetMs: number) =>
  `The run of pipeline ${q(pipeline)} did not finish within its ${budgetMs} ms deadline.`;
const waitName = (kind: 'signal' | 'sleep') => (kind === 'signal' ? '@WaitFor' : '@Sleep');
export const WAIT_WITHOUT_STEP = (cls: string, method: string, kind: 'signal' | 'sleep') =>
  `${cls}.${method}: ${waitName(kind)} needs @Step('name') on the same method to say which step waits.`;
export const WAIT_NOT_DURABLE = (cls: string, method: string, kind: 'signal' | 'sleep', name: string) =>
  `${cls}.${method}: ${waitName(kind)} makes a run wait, and only a durable run can wait (it holds nothing while it does); ` +
  `mark the pipeline @Pipeline({ name: ${q(name)}, durable: true }).`;
export const TWO_WAITS = (cls: string, methods: string[], step: string) =>
  `${methods.map((m) => `${cls}.${m}`).join(', ')}: step ${q(step)} has more than one @WaitFor or @Sleep; a step waits for one thing, so split it into two steps.`;
export const DURABLE_REQUEST_SCOPED = (cls: string, name: string) =>
  `${cls}: pipeline ${q(name)} is durable and request-scoped; a durable run outlives its request (it may resume in ` +
  `another process, after a restart), so it cannot depend on one. Make the pipeline a singleton, or not durable.`;
export const DURABLE_DEADLINE = (name: string) =>
  `runner.run(${q(name)}, ..., { deadlineMs }): deadlines are not supported for durable pipelines, whose runs may ` +
  `outlive the process; give the steps timeouts (@Step(name, { timeoutMs })) instead.`;
export const DURABLE_ONLY = (method: string, name: string) =>
  `runner.${method}(${q(name)}, ...): pipeline ${q(name)} is not durable; mark it @Pipeline({ durable: true }) to start ` +
  `runs that survive the process, or use runner.run().`;
