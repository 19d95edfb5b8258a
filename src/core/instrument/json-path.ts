/**
 * The place of a value in a JSON file, written the way a problem shows it. Its own module so that the size limits
 * (limits.ts), which every record's content check runs, need none of the problem messages.
 */

/** Joins path segments as `$.domains[0].items[2].text.en`, readable for a school's instrument author. */
export function formatPath(segments: ReadonlyArray<string | number>): string {
  let path = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) path += `.${segment}`;
    else path += `[${JSON.stringify(segment)}]`;
  }
  return path;
}

/** Reads a path as `formatPath` writes it (`$.a[0].b["1"].c`) back into its segments. */
export function parsePath(path: string): Array<string | number> {
  const segments: Array<string | number> = [];
  const pattern = /\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\[("(?:[^"\\]|\\.)*")\]/gy;
  pattern.lastIndex = path.startsWith('$') ? 1 : 0;
  while (pattern.lastIndex < path.length) {
    const match = pattern.exec(path);
    if (!match) break;
    if (match[1] !== undefined) segments.push(match[1]);
    else if (match[2] !== undefined) segments.push(Number(match[2]));
    else segments.push(JSON.parse(match[3]!) as string);
  }
  return segments;
}
