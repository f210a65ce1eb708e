import type { GetSchemaRequest, GetSchemaResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { getBySchemaId, getVersion } from "../operations/read-versions.js";
import { invalidArgument } from "../errors.js";
import { versionToProto } from "./mapping.js";

/** GetSchema: by global id, or by subject and version (0: latest, or the newest usable with prefer_active). */
export const getSchema =
  (deps: RegistryDeps) =>
  async (req: GetSchemaRequest): Promise<GetSchemaResponse> => {
    if (req.schemaId) return { schema: versionToProto(await getBySchemaId(deps, req.schemaId)) };
    if (!req.subject) throw invalidArgument("SUBJECT_INVALID", "give a subject (with a version, 0 for the latest) or a schema id");
    const selector = req.version || (req.preferActive ? "prefer-active" : "latest");
    return { schema: versionToProto(await getVersion(deps, req.subject, selector)) };
  };
