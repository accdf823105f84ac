import { studioApp } from './studio-app.js';
import { ellipsis, studioDiagram } from './studio-diagram.js';
import { studioEl, studioSvg } from './studio-elements.js';
import { studioRunPage } from './studio-run-page.js';
import { studioRunsPage } from './studio-runs-page.js';

/**
 * The page's script as the server sends it: the sources of the page's functions, compiled with the
 * package, side by side in one scope, then the main one called. No bundler, no CDN, nothing fetched.
 */
export const STUDIO_JS = `${[studioEl, studioSvg, ellipsis, studioDiagram, studioRunsPage, studioRunPage].map((f) => f.toString()).join('\n\n')}\n\n(${studioApp.toString()})();\n`;
