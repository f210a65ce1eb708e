import type { ReplayForm } from "../api/wire.js";

/** The Failures page's replay form, checked; throws an Error with one sentence when it is not right. */
export function replayForm(b: unknown): Required<Pick<ReplayForm, "eventIds" | "dryRun">> & Omit<ReplayForm, "eventIds" | "dryRun"> {
  const o = (b ?? {}) as Record<string, unknown>;
  const ids = Array.isArray(o.eventIds) ? o.eventIds.filter((x): x is string => typeof x === "string" && x !== "") : [];
  if (ids.length < 1 || ids.length > 100 || ids.length !== (o.eventIds as unknown[]).length) throw new Error("eventIds must be 1 to 100 event ids");
  if (o.header !== undefined && (typeof o.header !== "object" || o.header === null || Array.isArray(o.header))) throw new Error("header must be an object of header fields in protobuf JSON");
  const v = o.toVersion;
  if (v !== undefined && v !== "latest" && !(typeof v === "number" && Number.isInteger(v) && v >= 1)) throw new Error('toVersion must be a version number or "latest"');
  return {
    eventIds: [...new Set(ids)],
    dryRun: o.dryRun === true,
    ...(o.header !== undefined ? { header: o.header as Record<string, unknown> } : {}),
    ...(o.properties !== undefined ? { properties: o.properties } : {}),
    ...(v !== undefined ? { toVersion: v as number | "latest" } : {}),
  };
}
