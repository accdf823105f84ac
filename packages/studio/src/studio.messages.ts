// Every user-facing message of the Studio, in one place.

export const NO_GUARD =
  'OrkaStudioModule.forRoot(): give it a guard (forRoot({ guard: YourAuthGuard })) so that only your operators see ' +
  'runs and act on them; for local development only, forRoot({ allowUnauthenticated: true }).';
export const UNAUTHENTICATED_WARNING = (path: string) =>
  `Orka Studio is served at ${path} WITHOUT authentication (allowUnauthenticated: true): anyone who reaches this ` +
  `server can read every run and signal or cancel it. Use it for local development only.`;
export const BAD_PATH = (path: string) =>
  `OrkaStudioModule.forRoot({ path: ${JSON.stringify(path)} }): the path must start with "/" and hold only letters, digits, "-", "_" and "/".`;
export const CROSS_SITE =
  'Orka Studio refuses this request: actions must come from the Studio page itself (same origin, x-orka-studio header).';
export const NOT_FOUND = (runId: string) =>
  `No run ${runId} is known to the Studio (not in the store, nor among the recent runs).`;
