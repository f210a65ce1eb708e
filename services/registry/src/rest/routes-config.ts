import { parseMode } from "../core/modes.js";
import { compatibilityInvalid, subjectNotFound } from "../errors.js";
import type { RegistryDeps } from "../operations/deps.js";
import { setCompatibility } from "../operations/governance.js";
import { flag } from "./parse.js";
import { subjectCompatibilityNotConfigured } from "./rest-error.js";
import type { Router } from "./router.js";
import { modeRoutes } from "./routes-mode.js";

/** Reads `{"compatibility": "..."}` from a PUT /config body. */
function modeOf(body: Record<string, unknown>) {
  const given = body.compatibility ?? body.compatibilityLevel;
  const mode = typeof given === "string" ? parseMode(given) : undefined;
  if (!mode) throw compatibilityInvalid(String(given));
  return mode;
}

/** Routes under /config (compatibility modes), and /mode. */
export function configRoutes(router: Router, deps: RegistryDeps): void {
  router
    .on("GET", "/config", async () => ({ json: { compatibilityLevel: await deps.reads.globalCompatibility() } }))
    .on("PUT", "/config", async ({ json, actor }) => {
      const mode = modeOf(await json());
      await setCompatibility(deps, "", mode, actor);
      return { json: { compatibility: mode } };
    })
    .on("GET", "/config/:subject", async ({ params, query }) => {
      const s = await deps.reads.subject(params.subject!);
      if (s?.compatibility) return { json: { compatibilityLevel: s.compatibility } };
      if (flag(query, "defaultToGlobal")) return { json: { compatibilityLevel: await deps.reads.globalCompatibility() } };
      throw subjectCompatibilityNotConfigured(params.subject!);
    })
    .on("PUT", "/config/:subject", async ({ params, json, actor }) => {
      const mode = modeOf(await json());
      await setCompatibility(deps, params.subject!, mode, actor);
      return { json: { compatibility: mode } };
    })
    .on("DELETE", "/config/:subject", async ({ params, actor }) => {
      const s = await deps.reads.subject(params.subject!);
      if (!s) throw subjectNotFound(params.subject!);
      const r = await setCompatibility(deps, params.subject!, null, actor);
      return { json: { compatibilityLevel: r.previous ?? r.effective } };
    });
  modeRoutes(router, deps);
}
