import type { ListVersionsRequest, ListVersionsResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { liveSubject } from "../operations/read-versions.js";
import { versionToProto } from "./mapping.js";

/** ListVersions: a subject's live versions, oldest first. */
export const listVersions =
  (deps: RegistryDeps) =>
  async (req: ListVersionsRequest): Promise<ListVersionsResponse> => {
    await liveSubject(deps, req.subject);
    const versions = (await deps.reads.versions(req.subject)).filter((v) => !v.deleted);
    return { versions: versions.map(versionToProto) };
  };
