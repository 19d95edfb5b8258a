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
