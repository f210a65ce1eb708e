import { createHash } from "node:crypto";
import { clone, toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/** A reference from an import of a schema to a registered subject version. */
export interface SchemaRef {
  /** The import path used in the source, for example `shop/money.proto`. */
  name: string;
  subject: string;
  version: number;
}

/**
 * The identity of a schema for global ids: SHA-256 over the main file's descriptor (without its own file name
 * and source info, so whitespace, comments and the file name a subject chose do not matter), the properties
 * message and the references in a fixed order. The same schema registered twice, anywhere, has the same
 * fingerprint and therefore the same id, as in Confluent Schema Registry. With `normalize` (Confluent's
 * `?normalize=true`) the order of imports does not matter either.
 */
export function schemaFingerprint(file: DescFile, messageName: string, refs: readonly SchemaRef[], normalize = false): Uint8Array {
  const canonical = clone(FileDescriptorProtoSchema, file.proto);
  canonical.name = "";
  canonical.sourceCodeInfo = undefined;
  if (normalize) sortImports(canonical);
  const sortedRefs = [...refs]
    .map((r) => [r.name, r.subject, r.version] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Uint8Array(
    createHash("sha256")
      .update(toBinary(FileDescriptorProtoSchema, canonical))
      .update("\0")
      .update(messageName)
      .update("\0")
      .update(JSON.stringify(sortedRefs))
      .digest(),
  );
}

/** Sorts a file's imports by path, keeping which of them are public or weak (their indexes point into the list). */
function sortImports(file: FileDescriptorProto): void {
  const order = file.dependency.map((name, i) => ({ name, i })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const newIndex = new Map(order.map((o, j) => [o.i, j]));
  file.dependency = order.map((o) => o.name);
  file.publicDependency = file.publicDependency.map((i) => newIndex.get(i) ?? i).sort((a, b) => a - b);
  file.weakDependency = file.weakDependency.map((i) => newIndex.get(i) ?? i).sort((a, b) => a - b);
}
