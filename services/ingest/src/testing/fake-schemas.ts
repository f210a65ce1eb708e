import type { ResolvedSchema, SchemaLifecycle, SchemaLookup } from "../core/schema-lookup.js";
import { orderCompletedDesc } from "./shop-schemas.js";

/** An in-memory SchemaLookup for tests: subjects → versions, with lifecycle changes and call counting. */
export class FakeSchemas implements SchemaLookup {
  readonly subjects = new Map<string, ResolvedSchema[]>();
  calls = 0;
  /** When set, every lookup throws it (a registry outage). */
  failWith: Error | undefined;

  add(subject: string, schema: ResolvedSchema): this {
    const versions = this.subjects.get(subject) ?? [];
    versions.push(schema);
    this.subjects.set(subject, versions);
    return this;
  }

  setLifecycle(subject: string, version: number, lifecycle: SchemaLifecycle): void {
    const s = this.subjects.get(subject)?.find((v) => v.version === version);
    if (s) s.lifecycle = lifecycle;
  }

  async get(subject: string, version: number): Promise<ResolvedSchema | undefined> {
    this.calls += 1;
    if (this.failWith) throw this.failWith;
    const versions = this.subjects.get(subject);
    if (!versions) return undefined;
    if (version !== 0) return versions.find((v) => v.version === version);
    // As the registry's prefer_active: the newest active version, else the newest deprecated, else the newest.
    const newest = [...versions].reverse();
    return newest.find((v) => v.lifecycle === "active") ?? newest.find((v) => v.lifecycle === "deprecated") ?? newest[0];
  }

  async hasSubject(subject: string): Promise<boolean> {
    if (this.failWith) throw this.failWith;
    return this.subjects.has(subject);
  }
}

/** A FakeSchemas holding `shop.order_completed` versions 1 (schema id 101) and 2 (schema id 102). */
export function shopSchemas(): FakeSchemas {
  return new FakeSchemas()
    .add("shop.order_completed", { schemaId: 101, version: 1, lifecycle: "active", message: orderCompletedDesc(1) })
    .add("shop.order_completed", { schemaId: 102, version: 2, lifecycle: "active", message: orderCompletedDesc(2) });
}
