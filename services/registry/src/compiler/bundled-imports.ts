import { readFileSync } from "node:fs";
import type { ProtoSource } from "./compile-proto.js";

/**
 * Imports the registry ships itself besides buf's well-known types, so a schema can use them with no network
 * and no reference: protovalidate's `buf/validate/validate.proto` (vendored from bufbuild/protovalidate) and
 * Trackway's own field options `trackway/options/v1/pii.proto` (a copy of proto/trackway/options/v1/pii.proto).
 */
export const BUNDLED_IMPORTS: readonly string[] = ["buf/validate/validate.proto", "trackway/options/v1/pii.proto"];

const cache = new Map<string, string>();

/** The vendored text of a bundled import. */
function bundledSource(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(new URL(`./bundled/${name}`, import.meta.url), "utf8");
    cache.set(name, text);
  }
  return text;
}

const IMPORT = /^\s*import\s+(?:public\s+|weak\s+)?"([^"]+)"\s*;/gm;

/**
 * The bundled imports that `sources` import but do not supply themselves. A source given under the same
 * name (for example through a reference to a registered copy, as Confluent users do) wins over the bundled one.
 */
export function bundledImportsFor(sources: readonly ProtoSource[]): ProtoSource[] {
  const given = new Set(sources.map((s) => s.name));
  const wanted = new Set<string>();
  for (const s of sources) for (const m of s.content.matchAll(IMPORT)) wanted.add(m[1]!);
  return BUNDLED_IMPORTS.filter((n) => wanted.has(n) && !given.has(n)).map((name) => ({ name, content: bundledSource(name) }));
}
