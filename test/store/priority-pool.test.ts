// The ack path's insert goes ahead of every checkout still waiting for the connection, and the
// places of the pool are handed on: nothing waits for ever, nothing runs past the pool's size.
import { PriorityPool } from "../../src/store/priority-pool";
import { openTestDatabase } from "../support/test-database";
import type { Database } from "../../src/store";

let db: Database;
let pool: PriorityPool;

beforeAll(async () => {
  db = await openTestDatabase();
  // one place, as the embedded database has: the order of turns is then plain to see
  pool = process.env.DATABASE_URL ? new PriorityPool({ connectionString: process.env.DATABASE_URL, max: 1 }) : db.pool;
});
afterAll(async () => {
  if (pool !== db.pool) await pool.end();
  await db.close();
});

test("an urgent statement runs before the checkouts queued ahead of it; the rest keep their order", async () => {
  const held = await pool.connect();
  const order: string[] = [];
  const normal = (name: string) => pool.query("SELECT $1::text AS name", [name]).then(() => void order.push(name));
  const waiting = [normal("first"), pool.connect().then((client) => {
    order.push("transaction");
    client.release();
  }), normal("second"), pool.queryUrgent("SELECT 'urgent'::text AS name", []).then(() => void order.push("urgent"))];
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(order).toEqual([]);
  expect(pool.gateWaiting).toBe(4);
  held.release();
  await Promise.all(waiting);
  expect(order).toEqual(["urgent", "first", "transaction", "second"]);
  expect(pool.gateWaiting).toBe(0);
});

test("a failed statement gives its place back", async () => {
  await expect(pool.queryUrgent("SELECT no_such_column FROM no_such_table", [])).rejects.toThrow();
  await expect(pool.query("SELECT 1 AS one")).resolves.toMatchObject({ rows: [{ one: 1 }] });
  await expect(pool.queryUrgent<{ two: number }>("SELECT 2 AS two", [])).resolves.toMatchObject({ rows: [{ two: 2 }] });
});
