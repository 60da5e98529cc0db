const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml('a <b> & "c"'); // 'a &lt;b&gt; &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/**
 * Encodes a relative file path for an `src`/`href` attribute: each segment URI-encoded (spaces, `#`,
 * `?`), then HTML-escaped, so the page finds the file next to it without a server.
 *
 * @example
 * relativeUrl('frames/input 1.png'); // 'frames/input%201.png'
 */
export function relativeUrl(path: string): string {
  return escapeHtml(path.split('/').map(encodeURIComponent).join('/'));
}
