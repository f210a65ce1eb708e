import { checkSchema } from "../operations/check.js";
import type { RegistryDeps } from "../operations/deps.js";
import { flag, parseVersion, schemaBody } from "./parse.js";
import type { RestRequest, Router } from "./router.js";
import { toRestError } from "./rest-error.js";

/** Routes under /compatibility: test a schema against one version or against the versions the mode names. */
export function compatibilityRoutes(router: Router, deps: RegistryDeps): void {
  const test = async ({ params, query, json }: RestRequest) => {
    const verbose = flag(query, "verbose");
    const body = schemaBody(await json());
    const version = params.version === undefined ? undefined : parseVersion(params.version);
    try {
      const r = await checkSchema(deps, {
        subject: params.subject!,
        protoSource: body.schema,
        references: body.references,
        firstMessage: true,
        version: typeof version === "number" ? version : undefined,
        latestOnly: version === "latest",
        // Confluent answers "compatible" when there is nothing to compare with.
        unknownSubjectIsCompatible: true,
      });
      const messages = r.violations.map((v) => `${v.rule} ${v.path}: ${v.message}${v.againstVersion ? ` (version ${v.againstVersion})` : ""}`);
      return { json: verbose ? { is_compatible: r.compatible, messages } : { is_compatible: r.compatible } };
    } catch (e) {
      // Confluent's verbose mode reports an invalid schema as an incompatible one with the reason.
      const rest = toRestError(e);
      if (verbose && rest.errorCode === 42201) return { json: { is_compatible: false, messages: [rest.message] } };
      throw e;
    }
  };
  router.on("POST", "/compatibility/subjects/:subject/versions/:version", test).on("POST", "/compatibility/subjects/:subject/versions", test);
}
