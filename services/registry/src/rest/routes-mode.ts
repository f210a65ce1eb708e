import { parseWriteMode } from "../core/write-mode.js";
import { modeInvalid, subjectNotFound } from "../errors.js";
import type { RegistryDeps } from "../operations/deps.js";
import { setMode } from "../operations/mode.js";
import { flag } from "./parse.js";
import { subjectModeNotConfigured } from "./rest-error.js";
import type { Router } from "./router.js";

/** Reads `{"mode": "..."}` from a PUT /mode body (42204 for anything but a known mode). */
function modeOf(body: Record<string, unknown>) {
  const mode = typeof body.mode === "string" ? parseWriteMode(body.mode) : undefined;
  if (!mode) throw modeInvalid(String(body.mode));
  return mode;
}

/** Routes under /mode, as Confluent's ModeResource: global and per-subject READWRITE, READONLY(_OVERRIDE), IMPORT. */
export function modeRoutes(router: Router, deps: RegistryDeps): void {
  router
    .on("GET", "/mode", async () => ({ json: { mode: await deps.reads.globalMode() } }))
    .on("PUT", "/mode", async ({ query, json, actor }) => {
      const mode = modeOf(await json());
      await setMode(deps, "", mode, flag(query, "force"), actor);
      // Confluent echoes the request.
      return { json: { mode } };
    })
    .on("DELETE", "/mode", async ({ actor }) => ({ json: { mode: (await setMode(deps, "", null, false, actor)) ?? "READWRITE" } }))
    .on("GET", "/mode/:subject", async ({ params, query }) => {
      const own = await deps.reads.subjectMode(params.subject!);
      if (own) return { json: { mode: own } };
      if (flag(query, "defaultToGlobal")) return { json: { mode: await deps.reads.globalMode() } };
      throw subjectModeNotConfigured(params.subject!);
    })
    .on("PUT", "/mode/:subject", async ({ params, query, json, actor }) => {
      const mode = modeOf(await json());
      await setMode(deps, params.subject!, mode, flag(query, "force"), actor);
      return { json: { mode } };
    })
    .on("DELETE", "/mode/:subject", async ({ params, actor }) => {
      const before = await setMode(deps, params.subject!, null, false, actor);
      if (!before) throw subjectNotFound(params.subject!);
      return { json: { mode: before } };
    });
}
