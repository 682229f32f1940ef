import type { BillerRecord } from '@npi/session/data-access';

/** What the page script needs, embedded as a JSON data block (not executable, so CSP allows it). */
export interface PageConfig {
  sessionId?: string;
  hostOrigins: readonly string[];
  lang: string;
  displayMode: string;
  displayError: string;
  landingPage?: string;
  channel?: string;
  os?: string;
  /** Milliseconds until the session ends, from the server's clock (the browser's may be wrong). */
  expiresInMs?: number;
  billers?: Pick<BillerRecord, 'code' | 'name' | 'nameNe' | 'group' | 'icon' | 'form'>[];
  apiBase: string;
  error?: { code: string; message: string; correlationId: string };
}

/** `<` and friends escaped so the JSON can never close its script element. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * The Billers page: static markup, one external script and one stylesheet (CSP `script-src 'self'`,
 * no inline script), configuration in a JSON data block. Errors are rendered server-side too, so
 * the code is visible even with scripts off.
 */
export function renderPage(config: PageConfig): string {
  const lang = config.lang === 'ne' ? 'ne' : 'en';
  const theme = config.displayMode === 'dark' ? 'dark' : 'light';
  const error = config.error
    ? `<div class="error" role="alert" data-error-code="${escapeHtml(config.error.code)}"><strong>${escapeHtml(config.error.code)}</strong> ${escapeHtml(config.error.message)}<br><small>ref ${escapeHtml(config.error.correlationId)}</small></div>`
    : '<noscript>NPI Billers needs JavaScript.</noscript>';
  return `<!doctype html>
<html lang="${lang}" data-theme="${theme}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NPI Billers</title>
<link rel="stylesheet" href="/billers/assets/page.css">
<script type="application/json" id="npi-billers-config">${jsonForHtml(config)}</script>
<script src="/billers/assets/page.js" defer></script>
</head>
<body>
<main id="app">${error}</main>
<div id="toast" role="status" aria-live="polite" hidden></div>
</body>
</html>
`;
}

/** CSP of every Billers document: nothing but our own script/style, framed only by the host origins. */
export function pageContentSecurityPolicy(hostOrigins: readonly string[]): string {
  const ancestors = hostOrigins.length > 0 ? hostOrigins.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'none'",
    "base-uri 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}
