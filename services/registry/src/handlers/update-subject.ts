import type { UpdateSubjectRequest, UpdateSubjectResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { updateSubject as update } from "../operations/governance.js";
import { subjectToProto } from "./mapping.js";

/** UpdateSubject: sets a subject's description and owners (empty fields stay as they are). */
export const updateSubject =
  (deps: RegistryDeps) =>
  async (req: UpdateSubjectRequest, actor: string): Promise<UpdateSubjectResponse> => {
    const s = await update(deps, req.subject, { description: req.description, owners: req.owners }, actor);
    return { subject: subjectToProto(s, await deps.reads.globalCompatibility()) };
  };
