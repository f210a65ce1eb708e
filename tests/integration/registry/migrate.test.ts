import { createPool, defaultMigrationsDir, migrate, type Pool } from "@trackway/db";
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../../support/index.js";

let db: Awaited<ReturnType<typeof freshDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await freshDatabase("migrate_test");
  pool = createPool(db.url, { max: 6 });
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("migrate", () => {
  it("applies every file once even when two runs race, then has nothing left to do", async () => {
    const [a, b] = await Promise.all([migrate(pool, defaultMigrationsDir), migrate(pool, defaultMigrationsDir)]);
    // One run applied the files; the other waited on the advisory lock and found them applied.
    expect([...a, ...b].filter((n) => n.startsWith("0001_"))).toEqual(["0001_registry_schema"]);
    expect(await migrate(pool, defaultMigrationsDir)).toEqual([]);
    const { rows } = await pool.query("SELECT name FROM trackway_migrations WHERE name LIKE '0001_%'");
    expect(rows).toHaveLength(1);
    const tables = await pool.query("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'registry_%' ORDER BY 1");
    expect(tables.rows.map((r) => r.table_name)).toEqual(["registry_audit", "registry_config", "registry_enforcement", "registry_grants", "registry_schemas", "registry_subject_owners", "registry_subjects", "registry_usage_restrictions", "registry_versions"]);
  });

  it("leaves a failing file unapplied, keeps the ones before it, and applies a lower number added later", async () => {
    const dir = await mkdtemp(join(tmpdir(), "trackway-migrations-"));
    try {
      await cp(defaultMigrationsDir, dir, { recursive: true });
      await writeFile(join(dir, "0098_ok.sql"), "CREATE TABLE mt_ok (id int);");
      await writeFile(join(dir, "0099_bad.sql"), "CREATE TABLE mt_bad (id int); SELECT no_such_column FROM mt_ok;");
      await writeFile(join(dir, "README.md"), "not a migration");
      await expect(migrate(pool, dir)).rejects.toThrow(/no_such_column/);
      const names = (await pool.query("SELECT name FROM trackway_migrations")).rows.map((r) => r.name);
      expect(names).toContain("0098_ok");
      expect(names).not.toContain("0099_bad");
      // The failing file's own table was rolled back with it.
      expect((await pool.query("SELECT to_regclass('mt_bad') AS t")).rows[0].t).toBeNull();

      await rm(join(dir, "0099_bad.sql"));
      await writeFile(join(dir, "0050_late.sql"), "CREATE TABLE mt_late (id int);");
      expect(await migrate(pool, dir)).toEqual(["0050_late"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
