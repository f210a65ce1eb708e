import type { Command } from "commander";
import { HEADER_ACTIONS, TenantPrivacyStore, type HeaderAction, type HeaderPolicy } from "@trackway/ingest";
import { cliEnv } from "../env.js";
import { withMigratedPool } from "../database.js";

interface Opts {
  databaseUrl: string;
  tenant: string;
  userId?: string;
  anonymousId?: string;
  ip?: string;
  userAgent?: string;
  pageUrl?: string;
  json?: boolean;
}

/** Runs `fn` with the tenant privacy store (migrations applied first, so a fresh database works). */
async function withStore<T>(url: string, fn: (store: TenantPrivacyStore) => Promise<T>): Promise<T> {
  return withMigratedPool(url, (pool) => fn(new TenantPrivacyStore(pool)));
}

/** An action named on the command line (any case), or an error naming the flag and the choices. */
export function headerAction(value: string | undefined, flag: string): HeaderAction | undefined {
  if (value === undefined) return undefined;
  const a = value.toUpperCase() as HeaderAction;
  if (!HEADER_ACTIONS.includes(a)) throw new Error(`${flag} must be one of ${HEADER_ACTIONS.map((x) => x.toLowerCase()).join(", ")}, got ${value}`);
  return a;
}

function print(tenant: string, p: HeaderPolicy, json?: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify({ tenant, header: p })}\n`);
  else process.stdout.write(`${tenant}\tuser_id=${p.userId}\tanonymous_id=${p.anonymousId}\tip=${p.ip}\tuser_agent=${p.userAgent}\tpage_url=${p.pageUrl}\n`);
}

/** Adds `trackway privacy show|set`: a tenant's header policy (its secret salt is made on first use and never shown). */
export function registerPrivacy(program: Command): void {
  const privacy = program
    .command("privacy")
    .description("A tenant's personal-data policy for event headers, applied by ingest before Kafka (properties follow their contract's PII marks).");
  const common = (c: Command) =>
    c.option("--database-url <url>", "postgres:// URL (env DATABASE_URL; default: the local stack's)", cliEnv.DATABASE_URL).requiredOption("--tenant <tenant>", "the tenant").option("--json", "print JSON");

  common(privacy.command("show"))
    .description("Print the tenant's header policy.")
    .action(async (opts: Opts) => withStore(opts.databaseUrl, async (s) => print(opts.tenant, await s.policy(opts.tenant), opts.json)));

  common(privacy.command("set"))
    .description("Change the tenant's header policy: keep, hash (HMAC-SHA256 with the tenant's salt), truncate or drop. Applies within ingest's cache TTL.")
    .option("--user-id <action>", "identity.user_id: keep | hash | drop")
    .option("--anonymous-id <action>", "identity.anonymous_id: keep | hash | drop")
    .option("--ip <action>", "the client IP and context.ip: keep | hash | truncate (IPv4 /24, IPv6 /48) | drop")
    .option("--user-agent <action>", "context.user_agent: keep | hash | truncate (without its comments) | drop")
    .option("--page-url <action>", "page and referrer URLs: keep | hash | truncate (no query string or fragment) | drop; page.search is kept only under keep")
    .action(async (opts: Opts) => {
      // Checked before the database is touched, so a typo never reaches it.
      const change: Partial<HeaderPolicy> = {
        userId: headerAction(opts.userId, "--user-id"),
        anonymousId: headerAction(opts.anonymousId, "--anonymous-id"),
        ip: headerAction(opts.ip, "--ip"),
        userAgent: headerAction(opts.userAgent, "--user-agent"),
        pageUrl: headerAction(opts.pageUrl, "--page-url"),
      };
      await withStore(opts.databaseUrl, async (s) => print(opts.tenant, await s.setPolicy(opts.tenant, change), opts.json));
    });
}
