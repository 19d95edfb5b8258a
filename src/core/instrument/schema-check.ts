/**
 * Structural checks against the published JSON Schema, with Ajv's errors turned into plain bilingual problems.
 *
 * The validator is Ajv's code for the schema, generated ahead of time (`npm run generate-schema-validator`), so no
 * schema is compiled with `new Function` at run time and the app's Content Security Policy needs no `'unsafe-eval'`.
 * It is large (about 270 KB), so the UI loads this module lazily: the app starts without it.
 */
import schema from '../../../instruments/meekijken-instrument.schema.json';
import generated from './schema-validator.generated';
import { formatPath, problem, type InstrumentProblem } from './problems';

/** An error of the generated validator, as Ajv reports it with `verbose` (the fields read here). */
interface ErrorObject {
  keyword: string;
  instancePath: string;
  schemaPath: string;
  params: Record<string, unknown>;
  propertyName?: string;
  message?: string;
  parentSchema?: unknown;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
const validator = () => generated as unknown as Validate;

const ID_PATTERNS = new Set([schema.$defs.localId.pattern, schema.properties.id.pattern]);
const VERSION_PATTERN = schema.properties.version.pattern;
const LANGUAGE_PATTERN = schema.$defs.languageCode.pattern;
const DESCRIPTOR_KEY_PATTERN = schema.$defs.descriptorMap.propertyNames.pattern;

/**
 * Ajv reports every mistake (a generated file can have hundreds of thousands); turning each into a message takes
 * far longer than finding it. The first ones are described, the rest counted.
 */
const MAX_SCHEMA_PROBLEMS = 1_000;

export function checkSchema(data: unknown): InstrumentProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  const shapes = shapeBranchErrors(conditionBranchErrors(validate.errors ?? [], data), data);
  const typos = misspelledKeys(shapes.errors, data);
  const errors = typos.errors;
  const problems = dedupe([
    ...shapes.problems,
    ...typos.problems,
    ...errors.slice(0, MAX_SCHEMA_PROBLEMS).flatMap((error) => toProblems(error, data)),
  ]);
  if (errors.length > MAX_SCHEMA_PROBLEMS)
    problems.push(problem('$', 'moreSchemaProblems', { count: errors.length - MAX_SCHEMA_PROBLEMS }));
  return problems;
}

/** Every part of the condition shapes' schemas, with its shape and how many steps into a condition it sits. */
const CONDITION_PARTS = (() => {
  const parts = new Map<object, { branch: string; depth: number }>();
  const walk = (node: unknown, branch: string, depth: number) => {
    if (node === null || typeof node !== 'object' || '$ref' in node) return;
    parts.set(node, { branch, depth });
    const { properties, items } = node as { properties?: Record<string, unknown>; items?: unknown };
    for (const child of Object.values(properties ?? {})) walk(child, branch, depth + 1);
    walk(items, branch, depth + 1);
  };
  for (const branch of ['answer', 'range', 'all', 'any', 'count', 'score', 'domain'] as const)
    walk(schema.$defs[`${branch}Condition`], branch, 0);
  return parts;
})();

function conditionBranchErrors(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const meant = (path: Array<string | number>): string => {
    const condition = valueAt(data, path);
    if (condition === null || typeof condition !== 'object') return 'answer';
    for (const key of ['all', 'any', 'count', 'in', 'score', 'domain'] as const)
      if (key in condition) return key === 'in' ? 'answer' : key;
    return 'range';
  };
  const decided = new Set<string>();
  const kept = errors.filter((error) => {
    const part = error.parentSchema ? CONDITION_PARTS.get(error.parentSchema) : undefined;
    if (!part) return true;
    const segments = pointerToSegments(error.instancePath);
    const conditionPath = segments.slice(0, segments.length - part.depth);
    decided.add(JSON.stringify(conditionPath));
    if (part.branch !== meant(conditionPath)) return false;
    return !(error.keyword === 'minProperties' && ['range', 'count', 'score', 'domain'].includes(part.branch));
  });
  // The summary "must match exactly one schema in oneOf" adds nothing once the meant shape's own errors are shown.
  return kept.filter(
    (error) =>
      !(
        error.keyword === 'oneOf' &&
        error.parentSchema === schema.$defs.condition &&
        decided.has(JSON.stringify(pointerToSegments(error.instancePath)))
      ),
  );
}

interface Branch {
  type?: string | string[];
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, unknown>;
  $ref?: string;
}

/**
 * A value that must take one of several shapes (a score's `from`, a score table's row): Ajv reports why it fails
 * every shape, which reads as four to six contradicting lines. Keep only the shape the author evidently meant (its
 * type, and the keys that name it), or when none is meant, one line that lists the shapes; when more than one fits,
 * one line that says to keep one.
 */
function shapeBranchErrors(
  errors: ErrorObject[],
  data: unknown,
): { errors: ErrorObject[]; problems: InstrumentProblem[] } {
  const dropped = new Set<ErrorObject>();
  const problems: InstrumentProblem[] = [];
  for (const error of errors) {
    if (error.keyword !== 'oneOf' || error.parentSchema === schema.$defs.condition) continue;
    const branches = ((error.parentSchema as { oneOf?: unknown } | undefined)?.oneOf ?? []) as Branch[];
    const resolved = branches.map((branch) => (branch.$ref ? (resolveRef(branch.$ref) as Branch) : branch) ?? {});
    const prefix = `${error.schemaPath}/`;
    const inBranch = (other: ErrorObject): number | undefined => {
      if (other.instancePath !== error.instancePath && !other.instancePath.startsWith(`${error.instancePath}/`))
        return undefined;
      if (other.schemaPath.startsWith(prefix)) return Number(other.schemaPath.slice(prefix.length).split('/')[0]);
      // A branch that is a reference (`{ "$ref": "#/$defs/localId" }`): its errors carry the referenced schema.
      const index = other.instancePath === error.instancePath ? resolved.indexOf(other.parentSchema as Branch) : -1;
      return index === -1 ? undefined : index;
    };
    const segments = pointerToSegments(error.instancePath);
    const here = formatPath(segments);
    const value = valueAt(data, segments);
    const keysOnly = resolved.every((b) => b.required?.length && !b.type && !b.enum && !b.properties);
    const forms = resolved.map(describeShape);
    dropped.add(error);
    const passing = (error.params as { passingSchemas?: unknown }).passingSchemas;
    if (Array.isArray(passing)) {
      problems.push(problem(here, keysOnly ? 'keysBoth' : 'shapeBoth', { forms: forms.join('; ') }));
      continue;
    }
    const meant = meantBranch(resolved, value);
    for (const other of errors) {
      const branch = inBranch(other);
      if (branch !== undefined && branch !== meant) dropped.add(other);
    }
    if (meant === undefined)
      problems.push(problem(here, keysOnly ? 'keysNone' : 'shapeNone', { forms: forms.join('; ') }));
  }
  return { errors: errors.filter((error) => !dropped.has(error)), problems };
}

/**
 * A required key written wrongly (`"itme"` for `"item"`) is one mistake, not a missing key and an unknown one: say
 * it once, at the misspelled key, with the key it was meant to be.
 */
function misspelledKeys(
  errors: ErrorObject[],
  data: unknown,
): { errors: ErrorObject[]; problems: InstrumentProblem[] } {
  const missing = errors.filter((e) => e.keyword === 'required');
  const dropped = new Set<ErrorObject>();
  const problems: InstrumentProblem[] = [];
  for (const error of errors) {
    if (error.keyword !== 'additionalProperties') continue;
    const field = String(error.params.additionalProperty);
    const meant = missing.find(
      (other) =>
        !dropped.has(other) &&
        other.instancePath === error.instancePath &&
        closeTo(field, String(other.params.missingProperty)),
    );
    // Else a field the object may have but does not (`"atleast"` for `"atLeast"`).
    const properties = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const value = valueAt(data, pointerToSegments(error.instancePath));
    const given = value !== null && typeof value === 'object' ? Object.keys(value) : [];
    const optional = meant ? undefined : properties.find((key) => !given.includes(key) && closeTo(field, key));
    if (!meant && optional === undefined) continue;
    if (meant) dropped.add(meant);
    dropped.add(error);
    const segments = [...pointerToSegments(error.instancePath), field];
    problems.push(
      problem(formatPath(segments), 'misspelledField', {
        field,
        meant: meant ? String(meant.params.missingProperty) : optional!,
      }),
    );
  }
  return { errors: errors.filter((error) => !dropped.has(error)), problems };
}

/** Two keys one or two typing slips apart (a letter more, less, changed or two swapped), or differing only in case. */
function closeTo(a: string, b: string): boolean {
  if (a.toLowerCase() === b.toLowerCase()) return true;
  if (Math.abs(a.length - b.length) > 2 || Math.min(a.length, b.length) < 3) return false;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]! <= (Math.min(a.length, b.length) <= 4 ? 1 : 2);
}

/** The one shape a value was evidently meant to take: of its type, with the most of its naming keys present. */
function meantBranch(branches: Branch[], value: unknown): number | undefined {
  const type = jsonType(value);
  const keys = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  const scored = branches.map((branch, i) => {
    const types = branch.enum ? [...new Set(branch.enum.map(jsonType))] : [branch.type ?? type].flat();
    const fits = types.includes(type) || (type === 'integer' && types.includes('number'));
    const named = (branch.required ?? []).filter((key) => keys.includes(key)).length;
    return { i, fits, named };
  });
  const fitting = scored.filter((s) => s.fits);
  // An object that names none of the shapes' keys, where only one shape is an object: that one, misspelled.
  const candidates =
    type === 'object' && fitting.every((s) => s.named === 0) && fitting.length === 1
      ? fitting
      : fitting.filter((s) => type !== 'object' || s.named > 0);
  const best = Math.max(...candidates.map((s) => s.named));
  const top = candidates.filter((s) => s.named === best);
  return top.length === 1 ? top[0]!.i : undefined;
}

/** A shape as a message names it: its words (`"children"`), or its keys (`{ "items": … }`, or `"max"` alone). */
function describeShape(branch: Branch): string {
  if (branch.enum) return branch.enum.map((v) => JSON.stringify(v)).join(', ');
  const keys = (branch.required ?? []).map((key) => `"${key}"`);
  if (!branch.type && !branch.properties) return keys.join(' + ');
  return `{ ${keys.map((key) => `${key}: …`).join(', ')} }`;
}

function toProblems(error: ErrorObject, data: unknown): InstrumentProblem[] {
  const segments = pointerToSegments(error.instancePath);
  // An error about an object's key (from "propertyNames") names the key: point at it and show it.
  const key = error.propertyName;
  if (key !== undefined) segments.push(key);
  const here = formatPath(segments);
  const value = key !== undefined ? key : valueAt(data, segments);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const field = String(params.missingProperty);
      return [problem(formatPath([...segments, field]), 'required', { field })];
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      return [problem(formatPath([...segments, field]), 'unknownField', { field })];
    }
    case 'type':
      // JSON's 1e999 reads as Infinity, which is no number to JSON Schema: say that, not "expected a number".
      if (typeof value === 'number' && !Number.isFinite(value) && /number|integer/.test(String(params.type))) {
        return [problem(here, 'infiniteNumber')];
      }
      return [problem(here, 'wrongType', { expected: String(params.type), actual: jsonType(value) })];
    case 'enum':
      if (segments.length === 1 && segments[0] === 'format') {
        return [
          problem(here, 'unsupportedFormat', {
            value: show(value),
            expected: (params.allowedValues as unknown[]).join(', '),
          }),
        ];
      }
      return [
        problem(here, 'notAllowed', { value: show(value), allowed: (params.allowedValues as unknown[]).join(', ') }),
      ];
    case 'const':
      if (segments.length === 1 && segments[0] === 'format') {
        return [problem(here, 'unsupportedFormat', { value: show(value), expected: String(params.allowedValue) })];
      }
      return [problem(here, 'notAllowed', { value: show(value), allowed: String(params.allowedValue) })];
    case 'pattern':
      return [patternProblem(here, String(params.pattern), show(value))];
    case 'propertyNames':
      // Ajv also reports the nested error about the key itself (handled above through `propertyName`).
      return [];
    case 'minLength':
      return [params.limit === 1 ? problem(here, 'empty') : problem(here, 'tooShort', { limit: Number(params.limit) })];
    case 'maxLength':
      return [problem(here, 'tooLong', { limit: Number(params.limit), actual: [...String(value)].length })];
    case 'minItems':
    case 'minProperties':
      return [
        Array.isArray(value) || params.limit !== 1
          ? problem(here, 'tooFew', { limit: Number(params.limit), actual: sizeOf(value) })
          : problem(here, 'empty'),
      ];
    case 'maxItems':
    case 'maxProperties':
      return [problem(here, 'tooMany', { limit: Number(params.limit), actual: sizeOf(value) })];
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
      // "At least 0, but is 0" contradicts itself: a bound the value may not reach says "greater than".
      return [
        problem(here, error.keyword === 'minimum' || error.keyword === 'exclusiveMinimum' ? 'tooSmall' : 'tooLarge', {
          limit: Number(params.limit),
          value: show(value),
          strict: error.keyword.startsWith('exclusive') ? 1 : 0,
        }),
      ];
    case 'uniqueItems': {
      const items = Array.isArray(value) ? value : [];
      return [
        problem(formatPath([...segments, Number(params.i)]), 'repeatedValue', { value: show(items[Number(params.i)]) }),
      ];
    }
    case 'discriminator': {
      const tagPath = formatPath([...segments, 'type']);
      if (params.error === 'mapping') {
        return [
          problem(tagPath, 'unknownResponseType', { value: show(params.tagValue), allowed: responseTypesAt(error) }),
        ];
      }
      return [problem(tagPath, 'required', { field: 'type' })];
    }
    default:
      return [problem(here, 'schema', { detail: error.message ?? error.keyword })];
  }
}

function patternProblem(path: string, pattern: string, value: string): InstrumentProblem {
  if (ID_PATTERNS.has(pattern)) return problem(path, 'badId', { value });
  if (pattern === VERSION_PATTERN) return problem(path, 'badVersion', { value });
  if (pattern === LANGUAGE_PATTERN) return problem(path, 'badLanguage', { value });
  if (pattern === DESCRIPTOR_KEY_PATTERN) return problem(path, 'badLevelKey', { value });
  return problem(path, 'badPattern', { value });
}

/**
 * The response types allowed where the error is: an item's, a snapshot field's (fewer), or any other list the
 * schema declares. Read from the very `oneOf` whose discriminator failed (Ajv's `verbose` errors carry it), so the
 * message follows the schema when response types are added.
 */
function responseTypesAt(error: ErrorObject): string {
  const branches = (error.parentSchema as { oneOf?: unknown } | undefined)?.oneOf;
  return (Array.isArray(branches) ? branches : [])
    .map(branchType)
    .filter((type) => type !== undefined)
    .join(', ');
}

function branchType(branch: unknown): string | undefined {
  let definition = branch as { $ref?: unknown; properties?: { type?: { const?: unknown } } } | undefined;
  if (typeof definition?.$ref === 'string') definition = resolveRef(definition.$ref) as typeof definition;
  const type = definition?.properties?.type?.const;
  return typeof type === 'string' ? type : undefined;
}

/** A local reference such as `#/$defs/ratingResponse`, resolved in the published schema. */
function resolveRef(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return valueAt(schema, pointerToSegments(ref.slice(1)));
}

/** Ajv can report the same mistake through two keywords; one line per mistake is enough. */
function dedupe(problems: InstrumentProblem[]): InstrumentProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.code}\u0000${p.message.en}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** JSON Pointer (RFC 6901) to path segments; array indexes become numbers. */
function pointerToSegments(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9]\d*)$/.test(segment) ? Number(segment) : segment));
}

function valueAt(data: unknown, segments: ReadonlyArray<string | number>): unknown {
  let current: unknown = data;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number')
    return !Number.isFinite(value) ? 'infinite' : Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function sizeOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (value && typeof value === 'object') return Object.keys(value).length;
  return 0;
}

/** A value as a message quotes it: at most 60 characters (never cut through one), Infinity as itself, not "null". */
function show(value: unknown): string {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : (safeJson(value) ?? '…');
  if (text.length <= 60) return text;
  const characters = [...text.slice(0, 240)];
  if (characters.length <= 60 && text.length <= 240) return text;
  return `${characters.slice(0, 57).join('')}…`;
}

function safeJson(value: unknown): string | undefined {
  try {
    const json = JSON.stringify(value);
    return typeof json === 'string' ? json.slice(0, 200) : undefined;
  } catch {
    return undefined;
  }
}
