// A throwaway PostgreSQL database per test Berth, on the CI server at 127.0.0.1:5432.
import crypto from 'node:crypto';
import pg from 'pg';

export const postgresAdminUrl = process.env.BERTH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `berth_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: postgresAdminUrl });
      await client.connect();
      try {
        // pg's pool.end() resolves before its sockets close; forcing the drop at once would make the
        // server kill those sessions and their clients throw an uncaught 57P01 in the test process.
        const deadline = Date.now() + 5_000;
        for (;;) {
          try {
            await client.query(`DROP DATABASE IF EXISTS ${name}`);
            return;
          } catch (error) {
            if ((error as { code?: string }).code !== '55006' || Date.now() > deadline) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
