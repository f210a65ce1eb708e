import { create, equals, fromBinary, toBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/**
 * Merges descriptor sets into one FileDescriptorSet (a buf image `buf breaking --against` reads), each file once.
 * When two sets hold different contents under one file name the first wins and the name is reported.
 */
export function mergeDescriptorSets(sets: readonly Uint8Array[]): { image: Uint8Array; files: string[]; conflicts: string[] } {
  const files = new Map<string, FileDescriptorProto>();
  const conflicts = new Set<string>();
  for (const bytes of sets) {
    for (const f of fromBinary(FileDescriptorSetSchema, bytes).file) {
      const seen = files.get(f.name);
      if (!seen) files.set(f.name, f);
      else if (!equals(FileDescriptorProtoSchema, seen, f)) conflicts.add(f.name);
    }
  }
  // Dependencies before dependents, as protoc and buf write images.
  const ordered: FileDescriptorProto[] = [];
  const done = new Set<string>();
  const visit = (f: FileDescriptorProto) => {
    if (done.has(f.name)) return;
    done.add(f.name);
    for (const d of f.dependency) {
      const dep = files.get(d);
      if (dep) visit(dep);
    }
    ordered.push(f);
  };
  [...files.values()].forEach(visit);
  return {
    image: toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: ordered })),
    files: ordered.map((f) => f.name),
    conflicts: [...conflicts],
  };
}
