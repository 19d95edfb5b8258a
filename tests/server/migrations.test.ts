/**
 * Migrations (src/server/db/migrate.ts): from an empty database, from every earlier version (the files are read,
 * so a new migration is covered without touching this test), a changed file refused, two servers at once.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf, migrate, readMigrations } from '../../src/server/db/migrate';
import { MIGRATIONS_DIR } from '../../src/server/paths';
import { forEachDatabase, freshDatabase, type DatabaseKind, type TestDatabase } from './support/databases';

const migrations = readMigrations();
const latest = migrations.length;

/** The tables and columns of the public schema, to compare a migrated database with a fresh one. */
async function schemaOf(test: TestDatabase): Promise<string[]> {
  const rows = await test.database.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
  }>(
    "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name",
  );
  const indexes = await test.database.query<{ indexdef: string }>(
    "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname",
  );
  return [
    ...rows.map((r) => `${r.table_name}.${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`),
    ...indexes.map((i) => i.indexdef),
  ];
}

describe('the migration files', () => {
  it('are numbered 001 … without gaps, and start with accounts', () => {
    expect(migrations.map((m) => m.version)).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
    expect(migrations[0]!.name).toBe('001-accounts.sql');
  });

  it('ignore CRLF line endings in the checksum (a Windows checkout is the same file)', () => {
    expect(checksumOf('a;\r\nb;\r\n')).toBe(checksumOf('a;\nb;\n'));
  });

  it('refuse a folder with a gap or a badly named file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-migrations-'));
    try {
      writeFileSync(path.join(dir, '001-a.sql'), 'SELECT 1;');
      writeFileSync(path.join(dir, '003-c.sql'), 'SELECT 1;');
      expect(() => readMigrations(dir)).toThrow(/expected number 002/);
      rmSync(path.join(dir, '003-c.sql'));
      writeFileSync(path.join(dir, '2-b.sql'), 'SELECT 1;');
      expect(() => readMigrations(dir)).toThrow(/2-b.sql is not named NNN-name.sql/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

forEachDatabase((kind: DatabaseKind) => {
  describe(`migrations on ${kind}`, () => {
    let reference: string[];
    // One database for the block, made empty again for each test (its schema dropped and created anew).
    let database: TestDatabase | undefined;
    const fresh = async () => {
      database ??= await freshDatabase(kind);
      await database.database.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      return database;
    };
    beforeAll(async () => {
      const test = await fresh();
      const result = await migrate(test.database, { now: () => 1234 });
      expect(result).toEqual({ applied: migrations.map((m) => m.version), version: latest });
      reference = await schemaOf(test);
      const rows = await test.database.query(
        'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
      );
      expect(rows).toEqual(
        migrations.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum, applied_at: 1234 })),
      );
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('brings an empty database to the latest version, and a second run applies nothing', async () => {
      const test = await fresh();
      expect((await migrate(test.database)).version).toBe(latest);
      expect(await migrate(test.database)).toEqual({ applied: [], version: latest });
      expect(await schemaOf(test)).toEqual(reference);
    });

    it.each(Array.from({ length: latest + 1 }, (_, k) => k))(
      'brings a database left at version %i to the latest, the same as a fresh one',
      async (k) => {
        const test = await fresh();
        expect((await migrate(test.database, { upTo: k })).version).toBe(k);
        const result = await migrate(test.database);
        expect(result).toEqual({
          applied: migrations.filter((m) => m.version > k).map((m) => m.version),
          version: latest,
        });
        expect(await schemaOf(test)).toEqual(reference);
      },
    );

    it('005 gives the people with an e-mail address new versions, so every device pulls them again without it', async () => {
      const test = await fresh();
      await migrate(test.database, { upTo: 4 });
      const sql = test.database;
      for (const school of ['a', 'b']) {
        await sql.query('INSERT INTO schools (id, name, created_at) VALUES ($1, $1, 0)', [school]);
        await sql.query('INSERT INTO school_versions (school_id, version) VALUES ($1, 3)', [school]);
      }
      const put = (school: string, id: string, version: number, data: object) =>
        sql.query('INSERT INTO records (school_id, kind, id, data, version) VALUES ($1, $2, $3, $4, $5)', [
          school,
          'person',
          id,
          JSON.stringify({ id, ...data }),
          version,
        ]);
      await put('a', 'p1', 1, { email: 'p1@school.nl' });
      await put('a', 'p2', 2, {});
      await put('a', 'p3', 3, { email: 'p3@school.nl' });
      await put('b', 'q1', 3, {});
      await migrate(test.database);
      const rows = await sql.query<{ school_id: string; id: string; version: number }>(
        'SELECT school_id, id, version FROM records ORDER BY school_id, id',
      );
      expect(rows).toEqual([
        { school_id: 'a', id: 'p1', version: 4 },
        { school_id: 'a', id: 'p2', version: 2 },
        { school_id: 'a', id: 'p3', version: 5 },
        { school_id: 'b', id: 'q1', version: 3 },
      ]);
      expect(await sql.query('SELECT school_id, version FROM school_versions ORDER BY school_id')).toEqual([
        { school_id: 'a', version: 5 },
        { school_id: 'b', version: 3 },
      ]);
    });

    it('refuses to start when an applied migration file was changed, and says what to do', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-migrations-'));
      try {
        cpSync(MIGRATIONS_DIR, dir, { recursive: true });
        const test = await fresh();
        await migrate(test.database, { dir });
        const first = readdirSync(dir).sort()[0]!;
        writeFileSync(path.join(dir, first), `${migrations[0]!.sql}\n-- an innocent-looking edit\n`);
        await expect(migrate(test.database, { dir })).rejects.toThrow(
          new RegExp(`Migration ${first} was changed after it was applied.*must never change.*new numbered migration`),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a database migrated by a newer server (a version it has no file for)', async () => {
      const test = await fresh();
      await migrate(test.database);
      await test.database.query("INSERT INTO schema_migrations VALUES ($1, '999-future.sql', 'x', 0)", [latest + 1]);
      await expect(migrate(test.database)).rejects.toThrow(/has migration \d+ \(999-future.sql\).*newer version/);
    });

    it('lets two servers start at once: each migration is applied exactly once', async () => {
      const test = await fresh();
      const second = await test.open();
      const [a, b] = await Promise.all([migrate(test.database), migrate(second)]);
      expect([...a.applied, ...b.applied].sort((x, y) => x - y)).toEqual(migrations.map((m) => m.version));
      expect(a.version).toBe(latest);
      expect(b.version).toBe(latest);
    });

    it('applies nothing of a failing migration (its own transaction rolls back)', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'meekijken-migrations-'));
      try {
        cpSync(MIGRATIONS_DIR, dir, { recursive: true });
        const next = String(latest + 1).padStart(3, '0');
        writeFileSync(
          path.join(dir, `${next}-broken.sql`),
          'CREATE TABLE half_done (id int);\nSELECT no_such_function();',
        );
        const test = await fresh();
        await expect(migrate(test.database, { dir })).rejects.toThrow(/no_such_function/);
        expect((await migrate(test.database)).version).toBe(latest);
        expect(
          await test.database.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'"),
        ).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
