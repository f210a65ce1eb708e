import type { CheckCompatibilityRequest, CheckCompatibilityResponse } from "@trackway/proto/registry/v1";
import { checkSchema } from "../operations/check.js";
import type { RegistryDeps } from "../operations/deps.js";
import { modeFromProto, modeToProto, violationToProto } from "./mapping.js";

/** CheckCompatibility: the verdict and every violation, writing nothing. */
export const checkCompatibility =
  (deps: RegistryDeps) =>
  async (req: CheckCompatibilityRequest): Promise<CheckCompatibilityResponse> => {
    const r = await checkSchema(deps, {
      subject: req.subject,
      protoSource: req.protoSource,
      messageName: req.messageName,
      references: req.references,
      fileName: req.fileName,
      version: req.version,
      mode: modeFromProto(req.mode) ?? undefined,
    });
    return {
      compatible: r.compatible, violations: r.violations.map(violationToProto), mode: modeToProto(r.mode), ruleChanges: r.ruleChanges,
      candidateDescriptorSet: Buffer.from(r.candidate.descriptorSet),
      candidateMessageName: r.candidate.messageName,
    };
  };
