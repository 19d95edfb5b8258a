/**
 * C0 and C1 control characters except tab, line feed and carriage return, which are ordinary in a longer text. The
 * instrument checker (characters.ts) and the records' content check (src/core/sync/content.ts) both use this one
 * pattern, from this module of its own so the content check needs none of the instrument checker's messages.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
export const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
