import type { Command } from "commander";
import { ApiKeyStore, DEFAULT_SCOPES, parseScopes, SCOPES, tenantMetricId, type ApiKeyRecord } from "@trackway/auth";
import { createKeyClient, type KeyClient } from "@trackway/registry-client";
import type { ApiKey } from "@trackway/proto/registry/v1";
import { note, withClient } from "../output.js";
import { withMigratedPool } from "../database.js";
import { cliEnv } from "../env.js";
import { stackEndpoints } from "@trackway/stack";

interface DbOpts {
  databaseUrl?: string;
  /** With a key, the command calls the registry's KeyService instead of the database. */
  apiKey?: string;
  registry: string;
}

/** The stack's database unless DATABASE_URL or --database-url says otherwise (as ingest's own default). */
const DEFAULT_DATABASE_URL = cliEnv.DATABASE_URL;
/** The URL to use: the option, DATABASE_URL, else the local stack's (its password is in the state dir). */
const databaseUrlOf = (opts: DbOpts) => opts.databaseUrl ?? stackEndpoints().databaseUrl;

/** Runs `fn` with the API key store (migrations applied first, so a fresh database works). */
async function withStore<T>(opts: DbOpts, fn: (store: ApiKeyStore) => Promise<T>): Promise<T> {
  return withMigratedPool(databaseUrlOf(opts), (pool) => fn(new ApiKeyStore(pool)));
}

/** Runs `fn` on the registry's KeyService with the command's key; errors become one line with the registry's reason. */
async function withKeyService<T>(opts: DbOpts, fn: (c: KeyClient) => Promise<T>): Promise<T> {
  return withClient(createKeyClient(opts.registry, { timeoutMs: 30_000, apiKey: opts.apiKey }), fn, `registry ${opts.registry}`);
}

/** A KeyService record in the shape the database path prints. */
const fromRpc = (k: ApiKey): ApiKeyRecord => ({
  id: k.id,
  tenant: k.tenant,
  name: k.name,
  hint: k.hint,
  allowedEvents: k.allowedEvents.length > 0 ? k.allowedEvents : null,
  scopes: parseScopes(k.scopes),
  rateLimits: {},
  createdAt: k.createdAt ?? new Date(0),
  createdBy: k.createdBy,
  revokedAt: k.revokedAt ?? null,
});

function wholeNumber(s: string, flag: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a whole number of at least 0, got ${s}`);
  return n;
}
const csv = (s: string) => s.split(",").map((x) => x.trim()).filter(Boolean);

function row(k: ApiKeyRecord): string {
  const allowed = k.allowedEvents ? k.allowedEvents.join(",") : "*";
  const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active";
  return [k.id, k.tenant, `${k.hint}…`, k.scopes.join(","), allowed, k.createdAt.toISOString(), state, k.name].join("\t");
}

/** Adds `trackway keys create|list|revoke`: API keys with scopes, stored hashed in PostgreSQL. */
export function registerKeys(program: Command): void {
  const keys = program.command("keys").description("API keys: a tenant's identity with scopes for ingest, queries, the registry and jobs (stored as SHA-256 hashes).");
  const db = (c: Command) =>
    c
      .option("--database-url <url>", "postgres:// URL (env DATABASE_URL; default: the local stack's)", DEFAULT_DATABASE_URL)
      .option("--api-key <key>", "call the registry's KeyService with this key (keys:admin: its tenant's keys; keys:operator: any) instead of writing the database")
      .option("--registry <host:port>", "registry gRPC address for --api-key (env TRACKWAY_REGISTRY_ADDRESS)", cliEnv.TRACKWAY_REGISTRY_ADDRESS);

  db(keys.command("create"))
    .description("Issue a key for a tenant; prints the key once (it cannot be shown again).")
    .requiredOption("--tenant <tenant>", "tenant the key's events belong to")
    .option("--name <name>", "what the key is for, e.g. shop-web production", "")
    .option("--allow <events>", "comma-separated event names the key may send (default: any)")
    .option(
      "--scope <scopes>",
      `comma-separated scopes, repeatable: ${SCOPES.join(", ")} (default: ${DEFAULT_SCOPES.join(",")})`,
      (v: string, prev: string[] = []) => [...prev, ...csv(v)],
    )
    .option("--events-per-second <n>", "ingest rate limit of this key (0: unlimited; default: ingest's TRACKWAY_INGEST_KEY_EVENTS_PER_SECOND)")
    .option("--bytes-per-second <n>", "ingest rate limit in bytes of this key (0: unlimited; default: ingest's TRACKWAY_INGEST_KEY_BYTES_PER_SECOND)")
    .option("--json", "print the key and its record as JSON")
    .action(async (opts: DbOpts & { tenant: string; name: string; allow?: string; scope?: string[]; eventsPerSecond?: string; bytesPerSecond?: string; json?: boolean }) => {
      // Checked before the database is touched, so a typo never reaches it.
      const scopes = opts.scope ? parseScopes(opts.scope) : undefined;
      const rateLimits = {
        ...(opts.eventsPerSecond === undefined ? {} : { eventsPerSecond: wholeNumber(opts.eventsPerSecond, "--events-per-second") }),
        ...(opts.bytesPerSecond === undefined ? {} : { bytesPerSecond: wholeNumber(opts.bytesPerSecond, "--bytes-per-second") }),
      };
      if (opts.apiKey && Object.keys(rateLimits).length > 0) throw new Error("--events-per-second/--bytes-per-second are set with database access only, not with --api-key");
      const { key, record } = opts.apiKey
        ? await withKeyService(opts, async (c) => {
            const r = await c.createKey({ tenant: opts.tenant, name: opts.name, scopes: scopes ?? [], allowedEvents: opts.allow ? csv(opts.allow) : [] });
            return { key: r.key, record: fromRpc(r.record!) };
          })
        : await withStore(opts, (s) =>
            s.create({ tenant: opts.tenant, name: opts.name, allowedEvents: opts.allow ? csv(opts.allow) : undefined, scopes, rateLimits, createdBy: cliEnv.USER }),
          );
      if (opts.json) process.stdout.write(`${JSON.stringify({ key, ...record })}\n`);
      else {
        process.stdout.write(`${key}\n`);
        note(`key ${record.id} for tenant ${record.tenant} with ${record.scopes.join(", ")}${record.allowedEvents ? ` (only ${record.allowedEvents.join(", ")})` : ""}; store it now, it is not shown again`);
      }
    });

  db(keys.command("list"))
    .description("List keys: id, tenant, first characters, scopes, allowed events, created, state, name.")
    .option("--tenant <tenant>", "only this tenant's keys")
    .option("--all", "include revoked keys")
    .option("--json", "print JSON lines")
    .action(async (opts: DbOpts & { tenant?: string; all?: boolean; json?: boolean }) => {
      const list = opts.apiKey
        ? (await withKeyService(opts, (c) => c.listKeys({ tenant: opts.tenant ?? "", includeRevoked: opts.all ?? false }))).keys.map(fromRpc)
        : await withStore(opts, (s) => s.list({ tenant: opts.tenant, includeRevoked: opts.all }));
      for (const k of list) process.stdout.write(`${opts.json ? JSON.stringify(k) : row(k)}\n`);
      if (list.length === 0) note("no keys");
    });

  db(keys.command("tenant-ids"))
    .description("Each tenant with a key and its opaque id in ingest's metrics (tenant=\"t_…\"), keyed with TRACKWAY_METRICS_TENANT_SECRET as ingest is.")
    .option("--id <id>", "only the tenant with this metric id")
    .action(async (opts: DbOpts & { id?: string }) => {
      const list = await withStore(opts, (s) => s.list({ includeRevoked: true }));
      const rows = [...new Set(list.map((k) => k.tenant))].sort().map((t) => [tenantMetricId(t, cliEnv.TRACKWAY_METRICS_TENANT_SECRET), t] as const);
      const shown = rows.filter(([id]) => !opts.id || id === opts.id);
      for (const [id, t] of shown) process.stdout.write(`${id}\t${t}\n`);
      if (shown.length === 0) throw new Error(opts.id ? `no tenant with a key has metric id ${opts.id} (is TRACKWAY_METRICS_TENANT_SECRET the one ingest uses?)` : "no tenants have keys");
    });

  db(keys.command("revoke"))
    .description("Revoke a key by id; ingest refuses it within its key cache TTL (TRACKWAY_INGEST_KEY_CACHE_TTL, 10s by default).")
    .argument("<id>", "the key's id, e.g. key_3f9a1c2b4d5e")
    .action(async (id: string, opts: DbOpts) => {
      const k = opts.apiKey ? fromRpc((await withKeyService(opts, (c) => c.revokeKey({ id }))).record!) : await withStore(opts, (s) => s.revoke(id));
      if (!k) throw new Error(`no key with id ${id} (trackway keys list --all shows them)`);
      note(`revoked ${k.id} of tenant ${k.tenant} at ${k.revokedAt!.toISOString()}`);
    });
}
