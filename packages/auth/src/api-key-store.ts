import { randomBytes } from "node:crypto";
import type { Pool } from "pg";
import { generateApiKey, hashApiKey, keyHint } from "./api-key.js";
import { DEFAULT_SCOPES, isScope, parseScopes, type KeyRateLimits, type Principal, type PrincipalLookup, type Scope } from "./principal.js";

/** An API key as listed: everything but the secret. */
export interface ApiKeyRecord {
  id: string;
  tenant: string;
  name: string;
  hint: string;
  allowedEvents: string[] | null;
  scopes: Scope[];
  /** Ingest rate limits of this key; an absent field follows ingest's defaults. */
  rateLimits: KeyRateLimits;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
}

/** What creating a key needs. */
export interface NewApiKey {
  tenant: string;
  name?: string;
  /** Event names the key may send; omitted or empty allows every name. */
  allowedEvents?: string[];
  /** What the key may do; omitted or empty gives DEFAULT_SCOPES (send events, query). */
  scopes?: readonly string[];
  /** Ingest rate limits of this key (0: unlimited); omitted fields follow ingest's defaults. */
  rateLimits?: KeyRateLimits;
  createdBy?: string;
}

interface Row {
  id: string;
  tenant: string;
  name: string;
  key_hint: string;
  allowed_events: string[] | null;
  scopes: string[];
  events_per_second: number | null;
  bytes_per_second: string | null;
  created_at: Date;
  created_by: string;
  revoked_at: Date | null;
}

const COLUMNS = "id, tenant, name, key_hint, allowed_events, scopes, events_per_second, bytes_per_second, created_at, created_by, revoked_at";

// A scope this binary does not know (written by a newer one) grants nothing here.
const knownScopes = (names: readonly string[]): Scope[] => names.filter(isScope);

const rateLimitsOf = (r: Row): KeyRateLimits => ({
  ...(r.events_per_second === null ? {} : { eventsPerSecond: r.events_per_second }),
  ...(r.bytes_per_second === null ? {} : { bytesPerSecond: Number(r.bytes_per_second) }),
});

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  tenant: r.tenant,
  name: r.name,
  hint: r.key_hint,
  allowedEvents: r.allowed_events,
  scopes: knownScopes(r.scopes),
  rateLimits: rateLimitsOf(r),
  createdAt: r.created_at,
  createdBy: r.created_by,
  revokedAt: r.revoked_at,
});

/** API keys in PostgreSQL (table `api_keys`, migrations 0010–0019): issue, list, revoke, and look up by hash. */
export class ApiKeyStore implements PrincipalLookup {
  constructor(private readonly pool: Pool) {}

  /** Issues a key. The returned `key` is the only time the secret exists outside the caller. */
  async create(k: NewApiKey): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = generateApiKey();
    const id = `key_${randomBytes(6).toString("hex")}`;
    const allowed = k.allowedEvents && k.allowedEvents.length > 0 ? k.allowedEvents : null;
    const scopes = k.scopes && k.scopes.length > 0 ? parseScopes(k.scopes) : [...DEFAULT_SCOPES];
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO api_keys (id, tenant, name, key_hash, key_hint, allowed_events, scopes, events_per_second, bytes_per_second, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [id, k.tenant, k.name ?? "", hashApiKey(key), keyHint(key), allowed, scopes, k.rateLimits?.eventsPerSecond ?? null, k.rateLimits?.bytesPerSecond ?? null, k.createdBy ?? ""],
    );
    return { key, record: toRecord(rows[0]!) };
  }

  /** Lists keys, newest first; revoked ones only when asked. */
  async list(opts: { tenant?: string; includeRevoked?: boolean } = {}): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM api_keys
       WHERE ($1::text IS NULL OR tenant = $1) AND ($2 OR revoked_at IS NULL)
       ORDER BY created_at DESC, id`,
      [opts.tenant ?? null, opts.includeRevoked ?? false],
    );
    return rows.map(toRecord);
  }

  /** A key by id (revoked ones included), or undefined. */
  async get(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** Revokes a key by id; returns it, or undefined when no such key exists. Revoking twice keeps the first time. */
  async revoke(id: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.pool.query<Row>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /** The principal of an active (not revoked) key by its hash. */
  async findByHash(hash: string): Promise<Principal | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`, [hash]);
    const r = rows[0];
    if (!r) return undefined;
    return { keyId: r.id, tenant: r.tenant, allowedEvents: r.allowed_events ? new Set(r.allowed_events) : undefined, scopes: new Set(knownScopes(r.scopes)), rateLimits: rateLimitsOf(r) };
  }
}
