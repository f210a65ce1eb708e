import type { SetCompatibilityRequest, SetCompatibilityResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { setCompatibility as set } from "../operations/governance.js";
import { modeFromProto, modeToProto } from "./mapping.js";

/** SetCompatibility: a subject's mode (UNSPECIFIED: follow the default) or, without subject, the global default. */
export const setCompatibility =
  (deps: RegistryDeps) =>
  async (req: SetCompatibilityRequest, actor: string): Promise<SetCompatibilityResponse> => {
    const r = await set(deps, req.subject, modeFromProto(req.mode), actor);
    return { mode: modeToProto(r.effective) };
  };
