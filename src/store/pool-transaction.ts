// One transaction on one pooled connection, for the repositories that write through pg directly.
import type pg from "pg";

/**
 * Runs `work` in a transaction opened by `begin` (which may carry SET LOCAL settings): committed
 * when it returns a value, rolled back when it returns null (nothing to keep) or throws.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = "BEGIN"): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query(result === null ? "ROLLBACK" : "COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
