import pg from 'pg';

/**
 * Drops a test database and every connection to it. `WITH (FORCE)` refuses (42501, insufficient privilege) while a
 * connection to it is still starting up, its role not yet known to PostgreSQL: one that a closing pool or a stopped
 * worker thread began a moment before. Such a connection is gone within moments, so the drop is tried again.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
      return;
    } catch (error) {
      if (attempt >= 20 || (error as { code?: string }).code !== '42501') throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
