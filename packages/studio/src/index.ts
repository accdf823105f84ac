/**
 * `@orka/studio`: Orka Studio, a page served by a NestJS application that draws its pipelines and shows
 * its runs live; every asset ships in the package.
 */
export { OrkaStudioModule } from './orka-studio.module.js';
export type { OrkaStudioOptions } from './studio-options.interface.js';
export { STUDIO_HEADER } from './api/same-origin.guard.js';
