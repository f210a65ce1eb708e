import type { Command } from "commander";
import { createPool, defaultMigrationsDir, migrate } from "@trackway/db";
import { note, step } from "../output.js";
import { cliEnv } from "../env.js";
import { redactUrl } from "../database.js";

/** Adds `trackway db migrate`. */
export function registerDb(program: Command): void {
  const db = program.command("db").description("PostgreSQL schema of the Trackway services.");
  db.command("migrate")
    .description(
      "Apply the SQL files in migrations/ that have not run yet (tracked in table trackway_migrations). " +
        "Safe to run twice and from two places at once.",
    )
    .option("--database-url <url>", "postgres:// URL (env DATABASE_URL)", cliEnv.DATABASE_URL)
    .option("--dir <dir>", "folder of numbered .sql files", defaultMigrationsDir)
    .action(async (opts: { databaseUrl?: string; dir: string }) => {
      if (!opts.databaseUrl) throw new Error("no database: pass --database-url or set DATABASE_URL (npm run stack -- up prints it)");
      const pool = createPool(opts.databaseUrl, { max: 1, applicationName: "trackway-cli" });
      try {
        const where = redactUrl(opts.databaseUrl);
        const applied = await step(`migrating ${where}`, () =>
          migrate(pool, opts.dir).catch((e: unknown) => {
            throw new Error(`migration on ${where} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
          }),
        );
        if (applied.length === 0) note("already up to date");
        for (const name of applied) process.stdout.write(`applied ${name}\n`);
      } finally {
        await pool.end();
      }
    });
}
