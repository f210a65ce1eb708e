import type { ServerWritableStream } from "@grpc/grpc-js";
import type { CheckAgainstDataRequest, CheckAgainstDataResponse } from "@trackway/proto/compute/v1";
import { loadSchema, type LoadedSchema } from "@trackway/registry-client";
import { status } from "@grpc/grpc-js";
import { TrackwayError } from "@trackway/runtime";
import { DataCheck, enforcementOf } from "../core/data-check/data-check.js";
import { dataCheckSql, sampleLimitOf, windowRange } from "../core/data-check/data-check-sql.js";
import { Refusal } from "../core/refusal.js";
import { num } from "./analytics-requests.js";
import { toTrackwayError } from "./errors-map.js";
import { durationMs } from "./query.js";
import { tenantStatement } from "./query-runner.js";
import type { Deps } from "./structured.js";

const DEFAULT_EXAMPLES = 10;
const MAX_EXAMPLES = 100;

/** No event of that name in the window: nothing to try the proposed version on. */
export const noEventsInRange = (eventName: string, days: number) =>
  new TrackwayError(status.NOT_FOUND, "NO_EVENTS_IN_RANGE", `no "${eventName}" events of your tenant in the last ${days} days (ods_events); send some, or widen the window`);

function proposed(req: CheckAgainstDataRequest): LoadedSchema {
  if (req.descriptorSet.length === 0) throw new Refusal("ARGUMENT_INVALID", "descriptor_set is required: the proposed version compiled (CheckCompatibility's candidate_descriptor_set)");
  if (req.messageName.trim() === "") throw new Refusal("ARGUMENT_INVALID", "message_name is required");
  try {
    return loadSchema(req.descriptorSet, req.messageName);
  } catch (e) {
    throw new Refusal("ARGUMENT_INVALID", `descriptor_set cannot be loaded: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * CheckAgainstData: the gateway reads the warehouse (the tenant's own ods_events, one BATCH statement, newest
 * events first up to the sample limit); the proposed version comes compiled from the registry through the caller,
 * so no service calls another. Progress while reading, then the report.
 */
export function checkAgainstData(deps: Deps) {
  return async function* (req: CheckAgainstDataRequest, call: ServerWritableStream<CheckAgainstDataRequest, CheckAgainstDataResponse>, signal: AbortSignal): AsyncGenerator<CheckAgainstDataResponse> {
    const started = Date.now();
    let outcome = "error";
    let read = 0;
    try {
      const tenant = await deps.auth(call);
      const range = windowRange(durationMs(req.window), new Date());
      const limit = sampleLimitOf(req.sampleLimit);
      const enforcement = enforcementOf(req.enforcement);
      const maxExamples = Math.min(req.maxExamples || DEFAULT_EXAMPLES, MAX_EXAMPLES);
      const schema = proposed(req);
      const sql = dataCheckSql(req.eventName, range, limit);
      const check = new DataCheck(schema.message, schema.registry, enforcement, maxExamples);
      yield { kind: { $case: "progress", value: { stage: "READING", eventsRead: 0 } } };
      let sampled = false;
      for await (const e of tenantStatement(deps, tenant, () => sql, { maxRows: limit + 1, timeoutMs: deps.timeoutMs, signal })) {
        if (e.type !== "rows") continue;
        for (const r of e.rows) {
          if (read === limit) {
            sampled = true;
            break;
          }
          read++;
          check.add({ eventId: String(r[0]), schemaVersion: num(r[1]), properties: r[2] == null ? "" : String(r[2]) });
        }
        yield { kind: { $case: "progress", value: { stage: "CHECKING", eventsRead: read } } };
      }
      if (read === 0) throw noEventsInRange(req.eventName, Math.round((range.end.getTime() - range.start.getTime()) / 86_400_000));
      const s = check.result();
      outcome = "ok";
      yield {
        kind: {
          $case: "report",
          value: {
            eventsChecked: s.eventsChecked,
            sampled,
            decodeFailures: s.decodeFailures,
            ruleViolations: s.ruleViolations,
            wouldReject: s.wouldReject,
            wouldWarn: s.wouldWarn,
            passed: s.passed,
            rules: s.rules,
            examples: s.examples,
            range,
            enforcement,
          },
        },
      };
    } catch (e) {
      const mapped = toTrackwayError(e);
      outcome = (mapped as { reason?: string }).reason ?? "INTERNAL";
      throw mapped;
    } finally {
      deps.metrics.record("check_against_data", outcome, started, read);
    }
  };
}
