import {
  CompatibilityMode,
  EnforcementMode,
  Lifecycle,
  type AuditEntry,
  type SchemaVersion,
  type Subject,
  type Violation,
} from "@trackway/proto/registry/v1";
import type { LifecycleState } from "../core/lifecycle.js";
import type { Mode } from "../core/modes.js";
import { compatibilityInvalid, invalidArgument, type ViolationInfo } from "../errors.js";
import type { AuditRecord, SubjectRecord, VersionRecord } from "../store/types.js";

/** A mode as the proto enum. */
export const modeToProto = (m: Mode): CompatibilityMode => CompatibilityMode[`COMPATIBILITY_MODE_${m}`];

/** A proto enum as a mode; UNSPECIFIED is null (follow the default); anything else unknown is COMPATIBILITY_INVALID. */
export function modeFromProto(m: CompatibilityMode): Mode | null {
  if (m === CompatibilityMode.COMPATIBILITY_MODE_UNSPECIFIED) return null;
  const name = CompatibilityMode[m]?.replace("COMPATIBILITY_MODE_", "");
  if (!name || name === "UNRECOGNIZED") throw compatibilityInvalid(String(m));
  return name as Mode;
}

/** A lifecycle state as the proto enum. */
export const lifecycleToProto = (s: LifecycleState): Lifecycle => Lifecycle[`LIFECYCLE_${s}`];

/** A proto lifecycle as a state; UNSPECIFIED or unknown is LIFECYCLE_INVALID. */
export function lifecycleFromProto(l: Lifecycle): LifecycleState {
  const name = Lifecycle[l]?.replace("LIFECYCLE_", "");
  if (name !== "ACTIVE" && name !== "DEPRECATED" && name !== "DISABLED") {
    throw invalidArgument("LIFECYCLE_INVALID", "lifecycle must be ACTIVE, DEPRECATED or DISABLED");
  }
  return name;
}

/** A version record as the API message. */
export const versionToProto = (v: VersionRecord): SchemaVersion => ({
  subject: v.subject,
  version: v.version,
  schemaId: v.schemaId,
  protoSource: v.protoSource,
  messageName: v.messageName,
  descriptorSet: Buffer.from(v.descriptorSet),
  references: v.refs.map((r) => ({ name: r.name, subject: r.subject, version: r.version })),
  lifecycle: lifecycleToProto(v.lifecycle),
  author: v.author,
  createdAt: v.createdAt,
  fileName: v.fileName,
  // Set by GetSchema (handlers/get-schema.ts), which is what ingest reads; lists leave it unspecified.
  enforcement: EnforcementMode.ENFORCEMENT_MODE_UNSPECIFIED,
});

/** A subject record as the API message, with the mode in force given the global default. */
export const subjectToProto = (s: SubjectRecord, global: Mode): Subject => ({
  name: s.name,
  description: s.description,
  owners: s.owners,
  compatibility: s.compatibility ? modeToProto(s.compatibility) : CompatibilityMode.COMPATIBILITY_MODE_UNSPECIFIED,
  effectiveCompatibility: modeToProto(s.compatibility ?? global),
  latestVersion: s.latestLiveVersion,
  createdAt: s.createdAt,
});

/** A violation as the API message. */
export const violationToProto = (v: ViolationInfo): Violation => ({
  rule: v.rule,
  path: v.path,
  message: v.message,
  againstVersion: v.againstVersion ?? 0,
});

/** An audit record as the API message. */
export const auditToProto = (a: AuditRecord): AuditEntry => ({
  id: a.id,
  subject: a.subject,
  version: a.version,
  action: a.action,
  actor: a.actor,
  at: a.at,
  beforeJson: a.before === null ? "" : JSON.stringify(a.before),
  afterJson: a.after === null ? "" : JSON.stringify(a.after),
});

