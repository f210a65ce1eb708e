import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardPool } from "./guard-pool.js";

const policy = { tables: new Set(["ods_events"]) };
// A long chain of `+` takes the grammar seconds to parse (its time grows with the square of the chain).
const slow = `SELECT ${Array.from({ length: 40_000 }, () => "1").join(" + ")} FROM ods_events`;
let pool: GuardPool;

beforeAll(async () => {
  pool = new GuardPool(2, 15_000);
  await pool.warmUp();
}, 60_000);
afterAll(() => pool.close());

describe("GuardPool", () => {
  it("checks statements off the event loop and refuses like the guard", async () => {
    expect(await pool.check("a", "SELECT * FROM ods_events", policy)).toMatchObject({ kind: "QUERY", tables: ["ods_events"] });
    await expect(pool.check("a", "DROP TABLE ods_events", policy)).rejects.toMatchObject({ reason: "STATEMENT_NOT_READ_ONLY" });
  });

  it("checks another tenant's statement while one tenant's check runs long, then refuses the long one at the bound", async () => {
    const hostile = pool.check("a", slow, policy).then(
      () => "a passed",
      (e: { reason?: string }) => `a refused ${e.reason}`,
    );
    const other = pool.check("b", "SELECT COUNT(*) FROM ods_events", policy).then((r) => `b ${r.kind}`);
    // No timing: the other tenant's answer simply comes first, while the hostile check still holds its worker.
    expect(await Promise.race([hostile, other])).toBe("b QUERY");
    expect(await hostile).toBe("a refused QUERY_TOO_COMPLEX");
    // The replaced worker checks the next statement.
    expect(await pool.check("a", "SELECT 1", policy)).toMatchObject({ kind: "QUERY" });
  }, 120_000);
});
