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
  const errors = conditionBranchErrors(validate.errors ?? [], data);
  const problems = dedupe(errors.slice(0, MAX_SCHEMA_PROBLEMS).flatMap((error) => toProblems(error, data)));
  if (errors.length > MAX_SCHEMA_PROBLEMS)
    problems.push(problem('$', 'moreSchemaProblems', { count: errors.length - MAX_SCHEMA_PROBLEMS }));
  return problems;
}

/** Every part of the five condition shapes' schemas, with its shape and how many steps into a condition it sits. */
const CONDITION_PARTS = (() => {
  const parts = new Map<object, { branch: string; depth: number }>();
  const walk = (node: unknown, branch: string, depth: number) => {
    if (node === null || typeof node !== 'object' || '$ref' in node) return;
    parts.set(node, { branch, depth });
    const { properties, items } = node as { properties?: Record<string, unknown>; items?: unknown };
    for (const child of Object.values(properties ?? {})) walk(child, branch, depth + 1);
    walk(items, branch, depth + 1);
  };
  for (const branch of ['answer', 'range', 'all', 'any', 'count'] as const)
    walk(schema.$defs[`${branch}Condition`], branch, 0);
  return parts;
})();

function conditionBranchErrors(errors: ErrorObject[], data: unknown): ErrorObject[] {
  const meant = (path: Array<string | number>): string => {
    const condition = valueAt(data, path);
    if (condition === null || typeof condition !== 'object') return 'answer';
    for (const key of ['all', 'any', 'count', 'in'] as const)
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
    return !(error.keyword === 'minProperties' && (part.branch === 'range' || part.branch === 'count'));
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
      return [problem(here, 'tooSmall', { limit: Number(params.limit), value: show(value) })];
    case 'maximum':
    case 'exclusiveMaximum':
      return [problem(here, 'tooLarge', { limit: Number(params.limit), value: show(value) })];
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
