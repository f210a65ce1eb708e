import type { ListAuditEntriesRequest, ListAuditEntriesResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { listAudit } from "../store/audit.js";
import { auditToProto } from "./mapping.js";

/**
 * ListAuditEntries: newest first, 100 by default (1000 at most), paged with before_id. With a `tenant` (a key without
 * schemas:admin or schemas:read-all), only the entries of its own keys and those on subjects it owns or holds a grant covering.
 */
export const listAuditEntries =
  (deps: RegistryDeps) =>
  async (req: ListAuditEntriesRequest, tenant?: string): Promise<ListAuditEntriesResponse> => {
    const limit = Math.min(req.limit || 100, 1000);
    const entries = await listAudit(deps.pool, { subject: req.subject, limit, beforeId: req.beforeId, tenant });
    return { entries: entries.map(auditToProto) };
  };
