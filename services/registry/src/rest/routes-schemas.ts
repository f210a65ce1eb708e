import type { RegistryDeps } from "../operations/deps.js";
import { schemaNotFound } from "../errors.js";
import { getBySchemaId } from "../operations/read-versions.js";
import type { SchemaRecord } from "../store/types.js";
import { parseId } from "./parse.js";
import { formatSchema } from "./schema-format.js";
import type { Router } from "./router.js";

/** Routes under /schemas: by global id, and the supported types. */
export function schemaRoutes(router: Router, deps: RegistryDeps): void {
  const byId = async (given: string) => {
    const id = parseId(given);
    const s = id > 0 ? await deps.reads.schemaById(id) : undefined;
    if (!s) throw schemaNotFound(`id ${given}`);
    return s;
  };
  // The serialized form needs a compiled descriptor: the one of the first version registered with the id.
  const schemaText = async (s: SchemaRecord, format: string | null) =>
    (format ?? "").trim().toLowerCase() === "serialized" ? formatSchema(await getBySchemaId(deps, s.id), format) : s.protoSource;
  router
    .on("GET", "/schemas/types", async () => ({ json: ["PROTOBUF"] }))
    .on("GET", "/schemas/ids/:id", async ({ params, query }) => {
      const s = await byId(params.id!);
      const schema = await schemaText(s, query.get("format"));
      return { json: { schemaType: "PROTOBUF", schema, ...(s.refs.length > 0 ? { references: s.refs } : {}) } };
    })
    .on("GET", "/schemas/ids/:id/schema", async ({ params, query }) => ({ text: await schemaText(await byId(params.id!), query.get("format")) }))
    .on("GET", "/schemas/ids/:id/versions", async ({ params, query }) => {
      const s = await byId(params.id!);
      return { json: await deps.reads.usesOfSchema(s.id, (query.get("deleted") ?? "") === "true") };
    });
}
