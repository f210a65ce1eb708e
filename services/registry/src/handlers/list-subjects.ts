import type { ListSubjectsRequest, ListSubjectsResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { subjectToProto } from "./mapping.js";

/** ListSubjects: subjects by name, leaving out those whose versions are all deleted. */
export const listSubjects =
  (deps: RegistryDeps) =>
  async (req: ListSubjectsRequest): Promise<ListSubjectsResponse> => {
    const [subjects, global] = await Promise.all([deps.reads.subjects(req.prefix), deps.reads.globalCompatibility()]);
    const shown = subjects.filter((s) => s.allVersions === 0 || s.liveVersions > 0);
    return { subjects: shown.map((s) => subjectToProto(s, global)) };
  };
