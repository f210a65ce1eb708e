import type { Command } from "commander";
import { OwnershipStore } from "@trackway/registry";
import type { RegistryClient } from "@trackway/registry-client";
import { cliEnv } from "../env.js";
import { note } from "../output.js";
import { withMigratedPool } from "../database.js";

interface DbOpts {
  databaseUrl?: string;
}

/** Runs a call on the registry with the `schema` group's address, key and TLS flags. */
export type OnRegistry = <T>(cmd: Command, fn: (c: RegistryClient) => Promise<T>) => Promise<T>;

const ACTOR = `cli:${cliEnv.USER}`;

async function withOwnership<T>(databaseUrl: string, fn: (s: OwnershipStore) => Promise<T>): Promise<T> {
  return withMigratedPool(databaseUrl, (pool) => fn(new OwnershipStore(pool)));
}

/**
 * Adds `trackway schema grant|ungrant|grants|owner`: who owns which subjects. They call the registry's ownership
 * RPCs with the group's --api-key (checked and audited there: schemas:admin, or the owner / grant holder). With
 * --database-url they write the database directly instead: an operator's path for when the registry is not
 * running (no key checks; the audit log records nothing).
 */
export function registerOwnership(schema: Command, onRegistry: OnRegistry): void {
  const db = (c: Command) => c.option("--database-url <url>", "write the registry's database directly (operators only, no registry needed): postgres:// URL");
  // Direct when --database-url is given, else through the registry.
  const run = <T>(cmd: Command, opts: DbOpts, direct: (s: OwnershipStore) => Promise<T>, rpc: (c: RegistryClient) => Promise<T>) =>
    opts.databaseUrl ? withOwnership(opts.databaseUrl, direct) : onRegistry(cmd, rpc);

  db(schema.command("grant"))
    .description("Give a tenant every subject whose name starts with a prefix (and reserve those names for it).")
    .requiredOption("--prefix <prefix>", "subject name prefix, e.g. shop.")
    .requiredOption("--tenant <tenant>", "tenant (team) the prefix belongs to")
    .action(async (opts: DbOpts & { prefix: string; tenant: string }, cmd: Command) => {
      const grant = { prefix: opts.prefix, tenant: opts.tenant };
      await run(cmd, opts, (s) => s.grant(grant.prefix, grant.tenant, ACTOR), async (c) => (await c.grantPrefix({ grant })).created);
      note(`tenant ${opts.tenant} now holds subjects ${opts.prefix}*`);
    });

  db(schema.command("ungrant"))
    .description("Remove a prefix grant.")
    .requiredOption("--prefix <prefix>", "subject name prefix")
    .requiredOption("--tenant <tenant>", "tenant holding it")
    .action(async (opts: DbOpts & { prefix: string; tenant: string }, cmd: Command) => {
      const grant = { prefix: opts.prefix, tenant: opts.tenant };
      const removed = await run(cmd, opts, (s) => s.revoke(grant.prefix, grant.tenant), async (c) => (await c.revokePrefixGrant({ grant })).removed);
      if (!removed) throw new Error(`tenant ${opts.tenant} holds no grant on ${opts.prefix}`);
      note(`removed the grant of ${opts.prefix}* to ${opts.tenant}`);
    });

  db(schema.command("grants"))
    .description("List prefix grants: prefix, tenant (a tenant's key sees those its tenant holds, gave, or holds a shorter prefix of).")
    .action(async (opts: DbOpts, cmd: Command) => {
      const { grants, tenant } = await run(cmd, opts, async (s) => ({ grants: await s.grants(), tenant: "" }), (c) => c.listPrefixGrants({}));
      if (tenant) note(`grants concerning tenant ${tenant} (schemas:admin sees every one)`);
      for (const g of grants) process.stdout.write(`${g.prefix}\t${g.tenant}\n`);
    });

  db(schema.command("owner <subject>"))
    .description("Show a subject's owning tenant, or transfer it with --tenant.")
    .option("--tenant <tenant>", "the new owning tenant")
    .action(async (subject: string, opts: DbOpts & { tenant?: string }, cmd: Command) => {
      if (!opts.tenant) {
        const owner = await run(cmd, opts, (s) => s.ownerOf(subject), async (c) => (await c.getSubjectOwner({ subject })).tenant || undefined);
        process.stdout.write(`${owner ?? "(nobody: the next change claims it)"}\n`);
        return;
      }
      const to = opts.tenant;
      const before = await run(cmd, opts, (s) => s.setOwner(subject, to, ACTOR), async (c) => (await c.setSubjectOwner({ subject, tenant: to })).previousTenant || undefined);
      note(`${subject} now belongs to ${to}${before ? ` (was ${before})` : ""}`);
    });
}
