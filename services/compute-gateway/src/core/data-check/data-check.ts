import { fromJson, type DescMessage, type JsonValue, type Registry } from "@bufbuild/protobuf";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { createValidator, type Validator } from "@bufbuild/protovalidate";
import { Refusal } from "../refusal.js";

/** What a proposed version does with an event that breaks its rules (as ingest's per-version enforcement). */
export type DataCheckEnforcement = "REJECT" | "WARN" | "OFF";

/** One event as `ods_events` keeps it: properties are protobuf JSON with .proto field names (RECORD_FIELDS). */
export interface StoredEvent {
  eventId: string;
  schemaVersion: number;
  properties: string;
}

/** One reason an event fails: a decode failure or a broken rule. */
export interface DataCheckFailure {
  kind: "DECODE_FAILURE" | "CONTRACT_VIOLATION";
  fieldPath: string;
  ruleId: string;
  message: string;
}

/** The verdict over every event added. */
export interface DataCheckSummary {
  eventsChecked: number;
  decodeFailures: number;
  ruleViolations: number;
  wouldReject: number;
  wouldWarn: number;
  passed: number;
  rules: { fieldPath: string; ruleId: string; events: number }[];
  examples: (DataCheckFailure & { eventId: string; schemaVersion: number })[];
}

/** Rule id counted for events whose stored properties do not decode as the proposed message. */
export const DECODE_FAILURE = "DECODE_FAILURE";

const isDefault = (v: unknown) =>
  v === null || v === "" || v === 0 || v === "0" || v === false || (Array.isArray(v) && v.length === 0) || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 0);

/**
 * ods_events keeps every field of the version an event was sent as, those at their default too (RECORD_FIELDS:
 * `alwaysEmitImplicit`). A field the proposed message no longer declares is not on the wire when it holds its
 * default, so it is dropped here; with a value it stays, and fails the strict decode as ingest's unknown-field check would.
 */
function withoutDroppedDefaults(desc: DescMessage, json: JsonValue, depth = 0): JsonValue {
  if (depth > 32 || json === null || typeof json !== "object" || Array.isArray(json)) return json;
  const byName = new Map(desc.fields.flatMap((f) => [[f.name, f] as const, [f.jsonName, f] as const]));
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(json)) {
    const f = byName.get(k);
    if (!f) {
      if (!isDefault(v)) out[k] = v;
      continue;
    }
    // Nested messages (singular or repeated; not well-known types, whose JSON is special) are stored the same way.
    if (f.fieldKind === "message" && !f.message.typeName.startsWith("google.protobuf.")) {
      const nested = f.message;
      out[k] = Array.isArray(v) ? v.map((x) => withoutDroppedDefaults(nested, x, depth + 1)) : withoutDroppedDefaults(nested, v, depth + 1);
    } else if (f.fieldKind === "list" && f.listKind === "message" && Array.isArray(v)) {
      const nested = f.message;
      out[k] = v.map((x) => withoutDroppedDefaults(nested, x, depth + 1));
    } else out[k] = v;
  }
  return out;
}

/** Parses an enforcement name; empty is REJECT. */
export function enforcementOf(name: string): DataCheckEnforcement {
  const n = name.trim().toUpperCase() || "REJECT";
  if (n === "REJECT" || n === "WARN" || n === "OFF") return n;
  throw new Refusal("ARGUMENT_INVALID", `enforcement must be REJECT, WARN or OFF, not "${name}"`);
}

/**
 * Tries stored events on a proposed contract: decodes each event's properties (JSON, as ods_events keeps them)
 * strictly as the proposed message — a field it no longer has, or a value of the wrong type, is a decode failure,
 * as ingest would reject such bytes — then checks the message's protovalidate rules.
 */
export class DataCheck {
  private readonly validator: Validator;
  private readonly counts = new Map<string, { fieldPath: string; ruleId: string; events: number }>();
  private readonly summary: DataCheckSummary = { eventsChecked: 0, decodeFailures: 0, ruleViolations: 0, wouldReject: 0, wouldWarn: 0, passed: 0, rules: [], examples: [] };

  constructor(
    private readonly desc: DescMessage,
    private readonly registry: Registry,
    private readonly enforcement: DataCheckEnforcement,
    private readonly maxExamples: number,
  ) {
    this.validator = createValidator({ registry });
  }

  /** Checks one event; returns why it fails (empty when it passes). */
  add(e: StoredEvent): DataCheckFailure[] {
    const s = this.summary;
    s.eventsChecked++;
    const failures = this.failuresOf(e);
    if (failures.length === 0) {
      s.passed++;
      return failures;
    }
    if (failures[0]!.kind === "DECODE_FAILURE") {
      s.decodeFailures++;
      s.wouldReject++;
    } else {
      s.ruleViolations++;
      if (this.enforcement === "REJECT") s.wouldReject++;
      else s.wouldWarn++;
    }
    // Counted once per event and rule, however often the rule breaks in it.
    for (const key of new Set(failures.map((f) => `${f.fieldPath}\u0000${f.ruleId}`))) {
      const [fieldPath, ruleId] = key.split("\u0000") as [string, string];
      const c = this.counts.get(key) ?? { fieldPath, ruleId, events: 0 };
      c.events++;
      this.counts.set(key, c);
    }
    for (const f of failures) if (s.examples.length < this.maxExamples) s.examples.push({ eventId: e.eventId, schemaVersion: e.schemaVersion, ...f });
    return failures;
  }

  /** The verdict so far: per-rule counts most first. */
  result(): DataCheckSummary {
    const rules = [...this.counts.values()].sort((a, b) => b.events - a.events || a.fieldPath.localeCompare(b.fieldPath) || a.ruleId.localeCompare(b.ruleId));
    return { ...this.summary, rules, examples: [...this.summary.examples] };
  }

  private failuresOf(e: StoredEvent): DataCheckFailure[] {
    let message;
    try {
      message = fromJson(this.desc, withoutDroppedDefaults(this.desc, JSON.parse(e.properties === "" ? "{}" : e.properties) as JsonValue), { registry: this.registry });
    } catch (err) {
      return [{ kind: "DECODE_FAILURE", fieldPath: "", ruleId: DECODE_FAILURE, message: `properties do not decode as ${this.desc.typeName}: ${err instanceof Error ? err.message : String(err)}` }];
    }
    if (this.enforcement === "OFF") return [];
    const r = this.validator.validate(this.desc, message);
    if (r.kind === "valid") return [];
    if (r.kind === "error") return [{ kind: "CONTRACT_VIOLATION", fieldPath: "", ruleId: "trackway.rules_error", message: `the contract's rules cannot be evaluated: ${r.error.message}` }];
    return r.violations.map((v) => ({ kind: "CONTRACT_VIOLATION", fieldPath: pathToString(v.field), ruleId: v.ruleId, message: v.message }));
  }
}
