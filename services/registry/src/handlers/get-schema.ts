import type { GetSchemaRequest, GetSchemaResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { getBySchemaId, getVersion } from "../operations/read-versions.js";
import { invalidArgument } from "../errors.js";
import { enforcementOf } from "../operations/enforcement.js";
import type { VersionRecord } from "../store/types.js";
import { versionToProto } from "./mapping.js";
import { enforcementToProto } from "./set-enforcement.js";

/** A version as the API message with the rule enforcement in force for it (what ingest applies). */
async function withEnforcement(deps: RegistryDeps, v: VersionRecord) {
  return { ...versionToProto(v), enforcement: enforcementToProto(await enforcementOf(deps.pool, v.subject, v.version)) };
}

/** GetSchema: by global id, or by subject and version (0: latest, or the newest usable with prefer_active). */
export const getSchema =
  (deps: RegistryDeps) =>
  async (req: GetSchemaRequest): Promise<GetSchemaResponse> => {
    if (req.schemaId) return { schema: await withEnforcement(deps, await getBySchemaId(deps, req.schemaId)) };
    if (!req.subject) throw invalidArgument("SUBJECT_INVALID", "give a subject (with a version, 0 for the latest) or a schema id");
    const selector = req.version || (req.preferActive ? "prefer-active" : "latest");
    return { schema: await withEnforcement(deps, await getVersion(deps, req.subject, selector)) };
  };
