/**
 * The instrument validator is generated code (src/cli/generate-schema-validator.ts), committed so the app needs no
 * `new Function` under its Content Security Policy. It must be the code the schema file gives today.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_VALIDATOR, schemaValidatorSource } from '../../src/cli/generate-schema-validator';

describe('the generated instrument validator', () => {
  const committed = readFileSync(GENERATED_VALIDATOR, 'utf8');

  it('is what the schema file generates today (after a schema change: npm run generate-schema-validator)', () => {
    expect(
      committed === schemaValidatorSource(),
      'src/core/instrument/schema-validator.generated.ts is stale: run `npm run generate-schema-validator`',
    ).toBe(true);
  });

  it('builds no code at run time and needs no Ajv at run time', () => {
    expect(committed).not.toMatch(/new Function|\beval\(|require\(/);
    expect(committed).not.toMatch(/from ['"]ajv/);
  });
});
