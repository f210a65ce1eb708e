import type { ListAuditEntriesRequest, ListAuditEntriesResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { listAudit } from "../store/audit.js";
import { auditToProto } from "./mapping.js";

/** ListAuditEntries: newest first, 100 by default (1000 at most), paged with before_id. */
export const listAuditEntries =
  (deps: RegistryDeps) =>
  async (req: ListAuditEntriesRequest): Promise<ListAuditEntriesResponse> => {
    const limit = Math.min(req.limit || 100, 1000);
    const entries = await listAudit(deps.pool, { subject: req.subject, limit, beforeId: req.beforeId });
    return { entries: entries.map(auditToProto) };
  };
