import type { RegisterSchemaRequest, RegisterSchemaResponse } from "@trackway/proto/registry/v1";
import type { RegistryDeps } from "../operations/deps.js";
import { registerSchema as register } from "../operations/register.js";
import { versionToProto } from "./mapping.js";

/** RegisterSchema: registers (or, dry run, checks) a version; SCHEMA_INCOMPATIBLE / SCHEMA_INVALID / … on failure. */
export const registerSchema =
  (deps: RegistryDeps) =>
  async (req: RegisterSchemaRequest, actor: string): Promise<RegisterSchemaResponse> => {
    const r = await register(deps, {
      subject: req.subject,
      protoSource: req.protoSource,
      messageName: req.messageName,
      references: req.references,
      fileName: req.fileName,
      author: actor,
      dryRun: req.dryRun,
    });
    return { schema: versionToProto(r.version), created: r.created };
  };
