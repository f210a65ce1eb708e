import { createRegistry, type DescFile, type Registry } from "@bufbuild/protobuf";
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
