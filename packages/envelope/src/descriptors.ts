import { create, createRegistry, toBinary, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import type { DescFile } from "@bufbuild/protobuf";
import { file_trackway_compute_v1_compute } from "@trackway/proto/es/compute/v1";
import { file_trackway_event_v1_event } from "@trackway/proto/es/event/v1";
import { file_trackway_ingest_v1_ingest } from "@trackway/proto/es/ingest/v1";
import { file_trackway_registry_v1_registry } from "@trackway/proto/es/registry/v1";

/** Runtime descriptors of every Trackway .proto file, for @bufbuild/protobuf reflection. */
export const trackwayFiles: readonly DescFile[] = [
  file_trackway_event_v1_event,
  file_trackway_ingest_v1_ingest,
  file_trackway_registry_v1_registry,
  file_trackway_compute_v1_compute,
];

/** A registry of every Trackway message, enum and service, with the well-known types they import. */
export const trackwayRegistry: Registry = createRegistry(...trackwayFiles);

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
export function fileDescriptorProtoBytes(files: readonly DescFile[] = trackwayFiles): Uint8Array[] {
  return withDependencies(files).map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
}

/** A serialized `FileDescriptorSet` (a buf image without source info) of the given files and their imports. */
export function fileDescriptorSetBytes(files: readonly DescFile[] = trackwayFiles): Uint8Array {
  const set = create(FileDescriptorSetSchema, { file: withDependencies(files).map((f) => f.proto) });
  return toBinary(FileDescriptorSetSchema, set);
}
