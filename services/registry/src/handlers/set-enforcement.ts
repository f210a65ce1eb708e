import { EnforcementMode as ProtoMode, type SetEnforcementRequest, type SetEnforcementResponse } from "@trackway/proto/registry/v1";
import type { EnforcementMode } from "../core/enforcement.js";
import { invalidArgument } from "../errors.js";
import type { RegistryDeps } from "../operations/deps.js";
import { setEnforcement as set } from "../operations/enforcement.js";

/** An enforcement mode as the proto enum. */
export const enforcementToProto = (m: EnforcementMode): ProtoMode => ProtoMode[`ENFORCEMENT_MODE_${m}`];

/** A proto enforcement mode; UNSPECIFIED is null (clear), anything unknown ENFORCEMENT_INVALID. */
export function enforcementFromProto(m: ProtoMode): EnforcementMode | null {
  if (m === ProtoMode.ENFORCEMENT_MODE_UNSPECIFIED) return null;
  const name = ProtoMode[m]?.replace("ENFORCEMENT_MODE_", "");
  if (name !== "REJECT" && name !== "WARN" && name !== "OFF") throw invalidArgument("ENFORCEMENT_INVALID", "enforcement must be REJECT, WARN, OFF or UNSPECIFIED (clear)");
  return name;
}

/** SetEnforcement: how ingest enforces a subject's (or one version's) protovalidate rules. */
export const setEnforcement =
  (deps: RegistryDeps) =>
  async (req: SetEnforcementRequest, actor: string): Promise<SetEnforcementResponse> => {
    const mode = enforcementFromProto(req.mode);
    return { effective: enforcementToProto(await set(deps, req.subject, req.version, mode, actor)) };
  };
