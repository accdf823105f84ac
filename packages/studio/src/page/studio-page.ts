/** The Studio's HTML page: the script and the styles are files of their own, so that the CSP allows no inline code. */
export function studioHtml(base: string): string {
  const attr = base.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="orka-studio-base" content="${attr}">
<title>Orka Studio</title>
<link rel="stylesheet" href="${attr}/assets/studio.css">
<script type="module" src="${attr}/assets/studio.js"></script>
</head>
<body>
<header><a class="brand" href="#/">Orka Studio</a><nav><a href="#/">Runs</a><a href="#/pipelines">Pipelines</a></nav><span id="live" class="live">connecting</span></header>
<main id="main"></main>
</body>
</html>
`;
}

/**
 * The Content-Security-Policy of every Studio response (V5): scripts, styles and connections to this
 * origin only, no inline code, no plugins, no framing.
 */
export const STUDIO_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
