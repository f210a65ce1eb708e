import type { SetLifecycleRequest, SetLifecycleResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { setLifecycle as set } from "../operations/lifecycle.js";
import { lifecycleFromProto, versionToProto } from "./mapping.js";

/** SetLifecycle: moves a version (0: every version) forward along active → deprecated → disabled. */
export const setLifecycle =
  (deps: RegistryDeps) =>
  async (req: SetLifecycleRequest, actor: string): Promise<SetLifecycleResponse> => {
    const versions = await set(deps, req.subject, req.version, lifecycleFromProto(req.lifecycle), actor);
    return { versions: versions.map(versionToProto) };
  };
