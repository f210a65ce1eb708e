import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardPool } from "./guard-pool.js";

const policy = { tables: new Set(["ods_events"]) };
// A long chain of `+` takes the grammar seconds to parse (its time grows with the square of the chain).
const slow = `SELECT ${Array.from({ length: 12_000 }, () => "1").join(" + ")} FROM ods_events`;
let pool: GuardPool;

beforeAll(async () => {
  pool = new GuardPool(2, 3000);
  await pool.warmUp();
}, 60_000);
afterAll(() => pool.close());

describe("GuardPool", () => {
  it("checks statements off the event loop and refuses like the guard", async () => {
    expect(await pool.check("a", "SELECT * FROM ods_events", policy)).toMatchObject({ kind: "QUERY", tables: ["ods_events"] });
    await expect(pool.check("a", "DROP TABLE ods_events", policy)).rejects.toMatchObject({ reason: "STATEMENT_NOT_READ_ONLY" });
  });

  it("refuses a statement whose check outlasts the bound, and another tenant is checked meanwhile", async () => {
    const t0 = Date.now();
    const hostile = pool.check("a", slow, policy).catch((e: unknown) => e);
    const other = await pool.check("b", "SELECT COUNT(*) FROM ods_events", policy);
    expect(other.kind).toBe("QUERY");
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(await hostile).toMatchObject({ reason: "QUERY_TOO_COMPLEX" });
    // The replaced worker checks the next statement.
    expect(await pool.check("a", "SELECT 1", policy)).toMatchObject({ kind: "QUERY" });
  }, 60_000);
});
