import { create, toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

/** The given files and everything they import, dependencies first, each once. */
export function withDependencies(files: readonly DescFile[]): DescFile[] {
  const seen = new Set<string>();
  const out: DescFile[] = [];
  const visit = (f: DescFile): void => {
    if (seen.has(f.name)) return;
    seen.add(f.name);
    f.dependencies.forEach(visit);
    out.push(f);
  };
  files.forEach(visit);
  return out;
}

/** Serialized `FileDescriptorProto`s of the given files and their imports, as gRPC reflection wants them. */
export function fileDescriptorProtoBytes(files: readonly DescFile[]): Uint8Array[] {
  return withDependencies(files).map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
}

/** A serialized `FileDescriptorSet` (a buf image without source info) of the given files and their imports. */
export function fileDescriptorSetBytes(files: readonly DescFile[]): Uint8Array {
  const set = create(FileDescriptorSetSchema, { file: withDependencies(files).map((f) => f.proto) });
  return toBinary(FileDescriptorSetSchema, set);
}
