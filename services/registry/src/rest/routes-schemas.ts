import type { RegistryDeps } from "../operations/deps.js";
import { schemaNotFound } from "../errors.js";
import { parseId } from "./parse.js";
import type { Router } from "./router.js";

/** Routes under /schemas: by global id, and the supported types. */
export function schemaRoutes(router: Router, deps: RegistryDeps): void {
  const byId = async (given: string) => {
    const id = parseId(given);
    const s = id > 0 ? await deps.reads.schemaById(id) : undefined;
    if (!s) throw schemaNotFound(`id ${given}`);
    return s;
  };
  router
    .on("GET", "/schemas/types", async () => ({ json: ["PROTOBUF"] }))
    .on("GET", "/schemas/ids/:id", async ({ params }) => {
      const s = await byId(params.id!);
      return { json: { schemaType: "PROTOBUF", schema: s.protoSource, ...(s.refs.length > 0 ? { references: s.refs } : {}) } };
    })
    .on("GET", "/schemas/ids/:id/schema", async ({ params }) => ({ text: (await byId(params.id!)).protoSource }))
    .on("GET", "/schemas/ids/:id/versions", async ({ params, query }) => {
      const s = await byId(params.id!);
      return { json: await deps.reads.usesOfSchema(s.id, (query.get("deleted") ?? "") === "true") };
    });
}
