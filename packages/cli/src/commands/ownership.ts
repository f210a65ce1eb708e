import type { Command } from "commander";
import { createPool, defaultMigrationsDir, migrate } from "@trackway/db";
import { OwnershipStore } from "@trackway/registry";
import { cliEnv } from "../env.js";
import { stackEndpoints } from "@trackway/stack";
import { note } from "../output.js";

interface DbOpts {
  databaseUrl?: string;
}

/** The stack's database unless DATABASE_URL or --database-url says otherwise (as `trackway keys`). */
const DEFAULT_DATABASE_URL = cliEnv.DATABASE_URL;
/** The URL to use: the option, DATABASE_URL, else the local stack's (its password is in the state dir). */
const databaseUrlOf = (opts: DbOpts) => opts.databaseUrl ?? stackEndpoints().databaseUrl;
const ACTOR = `cli:${cliEnv.USER}`;

async function withOwnership<T>(opts: DbOpts, fn: (s: OwnershipStore) => Promise<T>): Promise<T> {
  const url = databaseUrlOf(opts);
  const pool = createPool(url, { max: 1, applicationName: "trackway-cli" });
  try {
    await migrate(pool, defaultMigrationsDir);
    return await fn(new OwnershipStore(pool));
  } finally {
    await pool.end();
  }
}

/**
 * Adds `trackway schema grant|ungrant|grants|owner`: who owns which subjects. Like `trackway keys`, these are
 * operator commands that write the registry's database directly (--database-url), not calls any key could make.
 */
export function registerOwnership(schema: Command): void {
  const db = (c: Command) => c.option("--database-url <url>", "postgres:// URL of the registry's database (env DATABASE_URL; default: the local stack's)", DEFAULT_DATABASE_URL);

  db(schema.command("grant"))
    .description("Give a tenant every subject whose name starts with a prefix (and reserve those names for it).")
    .requiredOption("--prefix <prefix>", "subject name prefix, e.g. shop.")
    .requiredOption("--tenant <tenant>", "tenant (team) the prefix belongs to")
    .action(async (opts: DbOpts & { prefix: string; tenant: string }) => {
      await withOwnership(opts, (s) => s.grant(opts.prefix, opts.tenant, ACTOR));
      note(`tenant ${opts.tenant} now holds subjects ${opts.prefix}*`);
    });

  db(schema.command("ungrant"))
    .description("Remove a prefix grant.")
    .requiredOption("--prefix <prefix>", "subject name prefix")
    .requiredOption("--tenant <tenant>", "tenant holding it")
    .action(async (opts: DbOpts & { prefix: string; tenant: string }) => {
      if (!(await withOwnership(opts, (s) => s.revoke(opts.prefix, opts.tenant)))) throw new Error(`tenant ${opts.tenant} holds no grant on ${opts.prefix}`);
      note(`removed the grant of ${opts.prefix}* to ${opts.tenant}`);
    });

  db(schema.command("grants"))
    .description("List prefix grants: prefix, tenant.")
    .action(async (opts: DbOpts) => {
      for (const g of await withOwnership(opts, (s) => s.grants())) process.stdout.write(`${g.prefix}\t${g.tenant}\n`);
    });

  db(schema.command("owner <subject>"))
    .description("Show a subject's owning tenant, or transfer it with --tenant.")
    .option("--tenant <tenant>", "the new owning tenant")
    .action(async (subject: string, opts: DbOpts & { tenant?: string }) => {
      if (!opts.tenant) {
        process.stdout.write(`${(await withOwnership(opts, (s) => s.ownerOf(subject))) ?? "(nobody: the next change claims it)"}\n`);
        return;
      }
      const before = await withOwnership(opts, (s) => s.setOwner(subject, opts.tenant!, ACTOR));
      note(`${subject} now belongs to ${opts.tenant}${before ? ` (was ${before})` : ""}`);
    });
}
