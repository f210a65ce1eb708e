import { status, type Metadata } from "@grpc/grpc-js";
import { decideKeyAdmin, parseScopes, type ApiKeyRecord, type ApiKeyStore, type Principal, type Scope } from "@trackway/auth";
import { withTransaction } from "@trackway/db";
import type {
  ApiKey,
  CreateKeyRequest,
  CreateKeyResponse,
  ListKeysRequest,
  ListKeysResponse,
  RevokeKeyRequest,
  RevokeKeyResponse,
} from "@trackway/proto/registry/v1";
import { TrackwayError } from "@trackway/runtime";
import type pg from "pg";
import { accessDenied } from "../access/access-errors.js";
import { grpcCredentials } from "../access/grpc-guard.js";
import { actorOf, type RegistryAccess } from "../access/registry-access.js";
import { appendAudit, type AuditInput } from "../store/audit.js";

interface Call {
  metadata: Metadata;
}

const toProto = (k: ApiKeyRecord): ApiKey => ({
  id: k.id,
  tenant: k.tenant,
  name: k.name,
  hint: k.hint,
  scopes: [...k.scopes],
  allowedEvents: k.allowedEvents ?? [],
  createdAt: k.createdAt,
  createdBy: k.createdBy,
  revokedAt: k.revokedAt ?? undefined,
});

const audit = (pool: pg.Pool, e: AuditInput) => withTransaction(pool, (tx) => appendAudit(tx, [e]));

/**
 * The KeyService RPCs: a tenant's `keys:admin` key manages that tenant's keys (handing out only scopes it holds),
 * a `keys:operator` key every tenant's. Issues and revocations are audited with the caller as actor; refusals as
 * ACCESS_DENIED. A revoked key stops working once the services' key caches expire (TRACKWAY_*_KEY_CACHE_TTL).
 */
export function keyRpcs(access: RegistryAccess, keys: ApiKeyStore, pool: pg.Pool) {
  const allow = async (p: Principal, tenant: string, action: string, scopes: readonly Scope[] = []) => {
    const d = decideKeyAdmin(p, tenant, scopes);
    if (d.allowed) return;
    await audit(pool, { action: "ACCESS_DENIED", actor: actorOf(p), after: { action, tenant, reason: d.reason } });
    throw accessDenied(d.reason, d.message);
  };
  return {
    createKey: async (req: CreateKeyRequest, call: Call): Promise<CreateKeyResponse> => {
      const p = await access.authenticate(grpcCredentials(call.metadata));
      const tenant = req.tenant || p.tenant;
      // Unknown names fail here (SCOPE_UNKNOWN); no scopes means the defaults, which the check sees too.
      const scopes = parseScopes(req.scopes.length > 0 ? req.scopes : ["events:write", "query:read", "schemas:read"]);
      await allow(p, tenant, "KEY_CREATE", scopes);
      const { key, record } = await keys.create({ tenant, name: req.name, scopes, allowedEvents: req.allowedEvents, createdBy: actorOf(p) });
      await audit(pool, { action: "KEY_CREATE", actor: actorOf(p), after: { id: record.id, tenant, scopes } });
      return { key, record: toProto(record) };
    },
    listKeys: async (req: ListKeysRequest, call: Call): Promise<ListKeysResponse> => {
      const p = await access.authenticate(grpcCredentials(call.metadata));
      const tenant = req.tenant || p.tenant;
      await allow(p, tenant, "KEY_LIST");
      return { keys: (await keys.list({ tenant, includeRevoked: req.includeRevoked })).map(toProto) };
    },
    revokeKey: async (req: RevokeKeyRequest, call: Call): Promise<RevokeKeyResponse> => {
      const p = await access.authenticate(grpcCredentials(call.metadata));
      const found = req.id ? await keys.get(req.id) : undefined;
      // Another tenant's key id is answered like an unknown one to a tenant's admin: ids of others are not confirmed.
      if (!found || (found.tenant !== p.tenant && !p.scopes.has("keys:operator"))) {
        if (!p.scopes.has("keys:admin") && !p.scopes.has("keys:operator")) await allow(p, p.tenant, "KEY_REVOKE");
        throw new TrackwayError(status.NOT_FOUND, "KEY_NOT_FOUND", `no key "${req.id}" of tenant "${p.tenant}"`);
      }
      await allow(p, found.tenant, "KEY_REVOKE");
      const record = (await keys.revoke(found.id))!;
      await audit(pool, { action: "KEY_REVOKE", actor: actorOf(p), after: { id: record.id, tenant: record.tenant } });
      return { record: toProto(record) };
    },
  };
}
