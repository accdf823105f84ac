// The shapes the Studio's page reads from its API (types only: erased from the script).

/** A step, as describe() gives it. */
export interface Step {
  name: string;
  after: string[];
  conditional: boolean;
  branches: { branch: number | 'otherwise'; kind: string; label?: string; pipeline?: string }[];
  compensated: boolean;
  skipIf?: string;
  retry?: { attempts: number };
  timeoutMs?: number;
  wait?: { signal: string; timeoutMs?: number } | { sleep: true };
}
/** A pipeline, as describe() gives it. */
export interface Description {
  name: string;
  steps: Step[];
}
/** A step's record, as a run's page shows it. */
export interface StepRecordView {
  step: string;
  status: string;
  attempts?: number;
  durationMs?: number;
  branch?: number | 'otherwise';
  error?: string | { name?: string; message?: string };
  reason?: string;
}
/** A run in the list. */
export interface Listed {
  runId: string;
  pipeline: string;
  status: string;
  durable: boolean;
  startedAt: number;
  updatedAt: number;
  step?: string;
}

/** What the page's views share: where they draw, how they call the API, and how they refresh. */
export interface PageKit {
  main: HTMLElement;
  api<T>(path: string, init?: RequestInit): Promise<T>;
  pipelines: Map<string, Description>;
  loadPipelines(): Promise<void>;
  status(s: string): HTMLElement;
  when(ms: number): string;
  errorText(e: StepRecordView['error']): string;
  /** What an event (or a timer) redraws: the view on screen. */
  onRefresh(fn: (() => void) | undefined): void;
  later(runId: string, ms: number): void;
  show(err: unknown): void;
}
