import type { Server } from "node:http";
import { generateApiKey, type PrincipalLookup } from "@trackway/auth";
import { IngestConfig, schemaLookupOf, startIngest, type RunningIngest, type SchemaLookup } from "@trackway/ingest";
import { createRegistryClient, createSchemaCache } from "@trackway/registry-client";
import { configOf, silentLogger, type Logger } from "@trackway/runtime";
import { microDescriptors, microService } from "./grpc-api.js";
import { startMicroHttp } from "./http-api.js";
import { loadProtoDir } from "./load-contracts.js";
import { MicroStore } from "./micro-store.js";

/** Where micro's contracts come from and where it listens. */
export interface MicroOptions {
  /** A folder of .proto files with a `trackway.json` (as for `trackway schema push`). */
  protoDir?: string;
  /** A registry's gRPC address to read contracts from instead. */
  registry?: string;
  /** API key (with `schemas:read`) to read that registry with. */
  registryKey?: string;
  host: string;
  /** Ingest gRPC port (0 picks a free one). */
  grpcPort: number;
  /** Assertion API port (0 picks a free one). */
  httpPort: number;
  /** Tenant every accepted key belongs to. @default micro */
  tenant?: string;
  logger?: Logger;
}

/** A running micro pipeline. */
export interface RunningMicro {
  /** Ingest's gRPC address: point the SDK here. */
  ingestAddress: string;
  /** Base URL of the assertion API, e.g. `http://127.0.0.1:9090`. */
  httpUrl: string;
  /** A key the SDK may use (any well-formed `twk_` key is accepted). */
  apiKey: string;
  subjects: string[];
  store: MicroStore;
  stop(): Promise<void>;
}

/**
 * Starts ingest with its exact validation (the same `startIngest`, core and limits) but without Kafka, Flink or
 * PostgreSQL: schemas come from a folder or a registry, every well-formed key is accepted, and what ingest would
 * produce is kept in memory behind the assertion API.
 */
export async function startMicro(o: MicroOptions): Promise<RunningMicro> {
  if (!o.protoDir === !o.registry) throw new Error("give exactly one of --proto <dir> and --registry <host:port>");
  let schemas: SchemaLookup;
  let subjects: string[] = [];
  let closeSchemas = () => {};
  if (o.protoDir) {
    const loaded = await loadProtoDir(o.protoDir);
    schemas = loaded.lookup;
    subjects = loaded.subjects;
  } else {
    const client = createRegistryClient(o.registry!, { timeoutMs: 5000, apiKey: o.registryKey });
    const cache = createSchemaCache(client);
    subjects = (await client.listSubjects({})).subjects.map((s) => s.name);
    schemas = schemaLookupOf(cache);
    closeSchemas = () => {
      cache.close();
      client.close();
    };
  }
  const tenant = o.tenant ?? "micro";
  const keys: PrincipalLookup = { findByHash: async () => ({ keyId: "micro", tenant, allowedEvents: undefined, scopes: new Set(["events:write", "query:read"]) }) };
  const store = new MicroStore();
  const config = configOf(IngestConfig, {
    TRACKWAY_INGEST_HOST: o.host,
    TRACKWAY_INGEST_PORT: o.grpcPort,
    TRACKWAY_INGEST_METRICS_PORT: 0,
    TRACKWAY_INGEST_MIGRATE: false,
    TRACKWAY_KAFKA_CREATE_TOPICS: false,
    TRACKWAY_INGEST_SHUTDOWN_GRACE: "1s",
    TRACKWAY_LOG_LEVEL: "warn",
  });
  let ingest: RunningIngest | undefined;
  let http: { server: Server; port: number } | undefined;
  try {
    ingest = await startIngest(config, o.logger ?? silentLogger, { schemas, keys, sink: store, extra: { services: [microService(store)], descriptors: microDescriptors } });
    http = await startMicroHttp(store, o.host, o.httpPort);
  } catch (e) {
    await ingest?.stop(100);
    closeSchemas();
    throw e;
  }
  const h = http;
  const i = ingest;
  return {
    ingestAddress: i.address,
    httpUrl: `http://${o.host}:${h.port}`,
    apiKey: generateApiKey(),
    subjects,
    store,
    stop: async () => {
      await new Promise((r) => h.server.close(r));
      await i.stop(500);
      closeSchemas();
    },
  };
}
