import { randomUUID } from "node:crypto";
import { rebuildRejected, rejectedEventBytes, repairEvent, propertiesToJson, type JsonValue, type RejectedEventRecord, type ReplayableEvent, type ReplaySchemaLookup } from "@trackway/envelope";
import { IngestServiceClient, type SendBatchResponse } from "@trackway/proto/ingest/v1";
import { GetSchemaRequest, type GetSchemaResponse } from "@trackway/proto/registry/v1";
import { loadSchema } from "@trackway/registry-client";
import { createPromiseClient } from "@trackway/runtime";
import { callUnary } from "../clients.js";
import { replayForm } from "../core/replay-form.js";
import { badRequest } from "../errors.js";
import type { Route, RouteContext } from "../http/router.js";
import type { ReplayAnswer } from "./wire.js";

/** Schemas read from the registry with the visitor's key (their own read rights), once per name and version per request. */
function schemaLookup(ctx: RouteContext): ReplaySchemaLookup {
  const seen = new Map<string, ReturnType<ReplaySchemaLookup>>();
  return (name, version) => {
    const key = `${name}@${version}`;
    const got =
      seen.get(key) ??
      callUnary<GetSchemaRequest, GetSchemaResponse>(ctx.clients.registry, "getSchema", GetSchemaRequest, { subject: name, version, preferActive: true }, ctx.apiKey, ctx.clients.timeoutMs).then((r) => {
        if (!r.schema) throw new Error(`${name} v${version} is not registered`);
        return { version: r.schema.version, ...loadSchema(r.schema.descriptorSet, r.schema.messageName) };
      });
    seen.set(key, got);
    return got;
  };
}

/**
 * Repair-and-replay from the Failures page, as `trackway events replay` does it (the same rebuild and repair, from
 * `@trackway/envelope`): the tenant's rejected events by id, repaired, sent again through ingest with the visitor's
 * key and the same event ids, in one batch whose answer says per event whether it is now accepted.
 */
export const replayRoutes = (record: (tenant: string, eventId: string) => RejectedEventRecord | undefined, ingestAddress: string): Route[] => [
  {
    method: "POST",
    path: "/api/failures/replay",
    handler: async (ctx): Promise<ReplayAnswer> => {
      let form: ReturnType<typeof replayForm>;
      try {
        form = replayForm(await ctx.body());
      } catch (e) {
        throw badRequest((e as Error).message);
      }
      // Newest record per id, of the signed-in key's tenant only (sealed records are not held: the CLI opens them).
      const byId = new Map<string, RejectedEventRecord>();
      for (const id of form.eventIds) {
        const r = record(ctx.principal.tenant, id);
        if (r) byId.set(id, r);
      }
      const schemas = schemaLookup(ctx);
      const fix = { header: form.header as Record<string, JsonValue> | undefined, properties: form.properties as JsonValue | undefined };
      const toVersion = form.toVersion === undefined ? undefined : form.toVersion === "latest" ? 0 : form.toVersion;
      const events: ReplayAnswer["events"] = [];
      const batch: ReplayableEvent[] = [];
      for (const id of form.eventIds) {
        const r = byId.get(id);
        if (!r) continue;
        const bytes = rejectedEventBytes(r, undefined);
        const rebuilt = bytes.ok ? rebuildRejected(r, bytes) : undefined;
        const base = { eventId: id, eventName: r.event_name ?? "", schemaVersion: r.schema_version ?? 0, properties: null as unknown };
        if (!rebuilt) {
          events.push({ ...base, outcome: "skipped", reason: r.reason, message: "its original bytes do not parse: nothing to rebuild from" });
          continue;
        }
        try {
          const e = await repairEvent(rebuilt, fix, toVersion, schemas);
          const shown = await schemas(e.header.eventName, e.header.schemaVersion).then((s) => propertiesToJson(s.message, e.properties, s.registry)).catch(() => null);
          events.push({ ...base, eventName: e.header.eventName, schemaVersion: e.header.schemaVersion, properties: shown, outcome: "repaired", reason: "", message: "" });
          batch.push(e);
        } catch (err) {
          events.push({ ...base, outcome: "skipped", reason: "REPAIR_FAILED", message: err instanceof Error ? err.message : String(err) });
        }
      }
      if (!form.dryRun && batch.length > 0) {
        const ingest = createPromiseClient(IngestServiceClient, ingestAddress, { metadata: { "x-api-key": ctx.apiKey } });
        try {
          const r: SendBatchResponse = await ingest.sendBatch({ batch: { batchId: `console-replay-${randomUUID()}`, sentAt: new Date(), events: batch.map((e) => ({ header: e.header, properties: Buffer.from(e.properties) })) } });
          const rejected = new Map((r.result?.rejections ?? []).map((x) => [x.index, x]));
          let i = 0;
          for (const e of events) {
            if (e.outcome !== "repaired") continue;
            const x = rejected.get(i++);
            Object.assign(e, x ? { outcome: "rejected", reason: x.reason, message: x.message } : { outcome: "accepted" });
          }
        } finally {
          ingest.close();
        }
      }
      return { dryRun: form.dryRun, events, notFound: form.eventIds.filter((id) => !byId.has(id)) };
    },
  },
];
