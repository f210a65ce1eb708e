import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApiKeyStore, generateApiKey, hashApiKey } from "@trackway/auth";
import { createPool, defaultMigrationsDir, migrate } from "@trackway/db";
import { describe, expect, it } from "vitest";
import { freshDatabase } from "../../support/index.js";

describe("the scopes migration", () => {
  it("gives existing keys events:write, query:read and schemas:read, and the old operator tenant's keys jobs:admin", async () => {
    const db = await freshDatabase("auth_migration");
    const pool = createPool(db.url, { max: 1 });
    const before = await mkdtemp(join(tmpdir(), "trackway-keys-"));
    try {
      // The database as it was before scopes: only the first api_keys migration applied.
      await copyFile(join(defaultMigrationsDir, "0010_api_keys.sql"), join(before, "0010_api_keys.sql"));
      await migrate(pool, before);
      const shop = generateApiKey();
      const ops = generateApiKey();
      await pool.query(
        `INSERT INTO api_keys (id, tenant, key_hash, key_hint) VALUES ('key_shop', 'shop', $1, 'twk_'), ('key_ops', 'trackway-ops', $2, 'twk_')`,
        [hashApiKey(shop), hashApiKey(ops)],
      );
      await migrate(pool, defaultMigrationsDir);
      const store = new ApiKeyStore(pool);
      expect([...(await store.findByHash(hashApiKey(shop)))!.scopes]).toEqual(["events:write", "query:read", "schemas:read"]);
      expect([...(await store.findByHash(hashApiKey(ops)))!.scopes]).toEqual(["events:write", "query:read", "schemas:read", "jobs:admin"]);
    } finally {
      await pool.end();
      await db.drop();
      await rm(before, { recursive: true, force: true });
    }
  });
});
