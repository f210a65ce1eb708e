import type { TailEvent, TailRequest } from "@trackway/proto/ingest/v1";
import { TailKind } from "@trackway/proto/ingest/v1";

/** A tail's filter, compiled once from its request; applied to every record on the server. */
export interface TailFilter {
  tenant: string;
  accepted: boolean;
  rejected: boolean;
  eventNames: ReadonlySet<string>;
  userId: string;
}

/** The filter of a tail request for the caller's tenant (the tenant comes from the API key, never the request). */
export function tailFilter(tenant: string, req: Pick<TailRequest, "eventNames" | "userId" | "kind">): TailFilter {
  const kind = req.kind === TailKind.TAIL_KIND_UNSPECIFIED ? TailKind.TAIL_KIND_ACCEPTED : req.kind;
  return {
    tenant,
    accepted: kind === TailKind.TAIL_KIND_ACCEPTED || kind === TailKind.TAIL_KIND_ALL,
    rejected: kind === TailKind.TAIL_KIND_REJECTED || kind === TailKind.TAIL_KIND_ALL,
    eventNames: new Set(req.eventNames),
    userId: req.userId,
  };
}

type Json = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * The tail event of one record of the events (`accepted`) or rejected topic, or undefined when the filter drops
 * it: another tenant's, another kind, name or user, or a value that is not a JSON object.
 */
export function tailEventOf(f: TailFilter, accepted: boolean, recordJson: string): TailEvent | undefined {
  if (accepted ? !f.accepted : !f.rejected) return undefined;
  let r: Json;
  try {
    const parsed: unknown = JSON.parse(recordJson);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return undefined;
    r = parsed as Json;
  } catch {
    return undefined;
  }
  if (r.tenant !== f.tenant) return undefined;
  const header = (accepted ? undefined : (r.header as Json | undefined)) ?? {};
  const identity = (header.identity as Json | undefined) ?? {};
  const eventName = accepted ? str(r.event_name) : str(r.event_name) || str(header.eventName);
  const userId = accepted ? str(r.user_id) : str(identity.userId);
  if (f.eventNames.size > 0 && !f.eventNames.has(eventName)) return undefined;
  if (f.userId && f.userId !== userId) return undefined;
  return {
    accepted,
    eventId: str(r.event_id) || str(header.eventId),
    eventName,
    schemaVersion: typeof r.schema_version === "number" ? r.schema_version : Number(header.schemaVersion ?? 0) || 0,
    userId,
    reasons: accepted ? [] : Array.isArray(r.reasons) ? r.reasons.map(String) : [],
    message: accepted ? "" : str(r.message),
    recordJson,
    droppedBefore: 0,
    // Rejected events' properties are decoded later, on the reader's side (it needs the registry).
    propertiesJson: accepted ? JSON.stringify(r.properties ?? {}) : "",
  };
}
