import type { RegistryDeps } from "../operations/deps.js";
import { deleteSubject, deleteVersion } from "../operations/delete.js";
import { prepareCandidate } from "../operations/prepare-candidate.js";
import { getVersion, liveSubject } from "../operations/read-versions.js";
import { registerSchema } from "../operations/register.js";
import { schemaNotFound } from "../errors.js";
import type { VersionRecord } from "../store/types.js";
import { flag, importTarget, parseVersion, schemaBody } from "./parse.js";
import type { Router } from "./router.js";
import { formatSchema } from "./schema-format.js";

/** A version as Confluent's `GET /subjects/{s}/versions/{v}` returns it (references only when there are some). */
export const confluentVersion = (v: VersionRecord, format: string | null = null) => ({
  subject: v.subject,
  version: v.version,
  id: v.schemaId,
  schemaType: "PROTOBUF",
  schema: formatSchema(v, format),
  ...(v.refs.length > 0 ? { references: v.refs } : {}),
});

/** Routes under /subjects: list, versions, register, lookup, delete. */
export function subjectRoutes(router: Router, deps: RegistryDeps): void {
  router
    .on("GET", "/subjects", async ({ query }) => {
      const deleted = flag(query, "deleted");
      const subjects = await deps.reads.subjects(query.get("subjectPrefix") ?? "");
      return { json: subjects.filter((s) => s.liveVersions > 0 || (deleted && s.allVersions > 0)).map((s) => s.name) };
    })
    .on("GET", "/subjects/:subject/versions", async ({ params, query }) => {
      const deleted = flag(query, "deleted");
      await liveSubject(deps, params.subject!, deleted);
      const heads = await deps.reads.heads(params.subject!, deleted);
      return { json: heads.map((h) => h.version) };
    })
    .on("GET", "/subjects/:subject/versions/:version", async ({ params, query }) => {
      const v = await getVersion(deps, params.subject!, parseVersion(params.version!), flag(query, "deleted"));
      return { json: confluentVersion(v, query.get("format")) };
    })
    .on("GET", "/subjects/:subject/versions/:version/schema", async ({ params, query }) => {
      const v = await getVersion(deps, params.subject!, parseVersion(params.version!), flag(query, "deleted"));
      return { text: formatSchema(v, query.get("format")) };
    })
    .on("GET", "/subjects/:subject/versions/:version/referencedby", async ({ params, query }) => {
      // Confluent looks the version up with deleted ones included, then lists the ids of schemas importing it.
      const v = await getVersion(deps, params.subject!, parseVersion(params.version!), true);
      const ids = await deps.reads.referrerIds(v.subject, v.version, flag(query, "deleted"));
      const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0);
      const limit = Number(query.get("limit") ?? -1) || -1;
      return { json: ids.slice(offset, limit > 0 ? offset + limit : undefined) };
    })
    .on("POST", "/subjects/:subject/versions", async ({ params, query, json, actor }) => {
      const raw = await json();
      const body = schemaBody(raw);
      const r = await registerSchema(deps, {
        subject: params.subject!,
        protoSource: body.schema,
        references: body.references,
        firstMessage: true,
        normalize: flag(query, "normalize"),
        author: actor,
        ...importTarget(raw),
      });
      return { json: { id: r.version.schemaId } };
    })
    .on("POST", "/subjects/:subject", async ({ params, query, json }) => {
      const body = schemaBody(await json());
      const deleted = flag(query, "deleted");
      await liveSubject(deps, params.subject!, deleted);
      const c = await prepareCandidate(deps, {
        subject: params.subject!,
        protoSource: body.schema,
        references: body.references,
        firstMessage: true,
        normalize: flag(query, "normalize"),
      });
      const id = await deps.reads.schemaIdByFingerprint(c.fingerprint);
      const v = id === undefined ? undefined : await deps.reads.liveVersionWithSchema(params.subject!, id, deleted);
      if (!v) throw schemaNotFound(`for subject "${params.subject}"`);
      return { json: confluentVersion(v) };
    })
    .on("DELETE", "/subjects/:subject", async ({ params, query, actor }) => {
      return { json: await deleteSubject(deps, params.subject!, flag(query, "permanent"), actor) };
    })
    .on("DELETE", "/subjects/:subject/versions/:version", async ({ params, query, actor }) => {
      return { json: await deleteVersion(deps, params.subject!, parseVersion(params.version!), flag(query, "permanent"), actor) };
    });
}
