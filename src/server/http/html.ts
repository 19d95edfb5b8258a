/** Text made safe for HTML, in an element or a quoted attribute: the server's own pages and the HTML of its e-mail. */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
