import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { credentials, makeGenericClientConstructor, status, type ServiceDefinition, type ServiceError } from "@grpc/grpc-js";
import { file_trackway_registry_v1_registry } from "@trackway/proto/es/registry/v1";
import { RegistryServiceService, type ListSubjectsResponse } from "@trackway/proto/registry/v1";
import { afterEach, describe, expect, it } from "vitest";
import { reasonOf, TrackwayError } from "./errors.js";
import { serverStreaming, unary } from "./handlers.js";
import { silentLogger } from "./logger.js";
import { checkHealth, fileByFilename } from "./probe.js";
import { startService, type RunningService } from "./service.js";

const Client = makeGenericClientConstructor(RegistryServiceService as ServiceDefinition, "RegistryService");
type Call = (req: object, cb: (e: ServiceError | null, r?: ListSubjectsResponse) => void) => void;

let running: RunningService | undefined;
afterEach(async () => {
  await running?.stop(100);
  running = undefined;
});

async function serve(listSubjects: (req: { prefix: string }) => Promise<ListSubjectsResponse>): Promise<{ call: (prefix: string) => Promise<ListSubjectsResponse> }> {
  running = await startService({
    name: "test",
    host: "127.0.0.1",
    port: 0,
    metricsPort: 0,
    services: [{ definition: RegistryServiceService, implementation: { listSubjects: unary(listSubjects) } }],
    descriptors: [file_trackway_registry_v1_registry],
    logger: silentLogger,
  });
  const client = new Client(running.address, credentials.createInsecure()) as unknown as { listSubjects: Call };
  return {
    call: (prefix) => new Promise((resolve, reject) => client.listSubjects({ prefix }, (e, r) => (e ? reject(e) : resolve(r!)))),
  };
}

describe("startService", () => {
  it("maps a TrackwayError to its status and reason trailer", async () => {
    const { call } = await serve(async (req) => {
      throw new TrackwayError(status.NOT_FOUND, "SUBJECT_NOT_FOUND", `no subject starts with ${req.prefix}`);
    });
    const err = (await call("zz").catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(status.NOT_FOUND);
    expect(reasonOf(err)).toBe("SUBJECT_NOT_FOUND");
  });

  it("answers UNIMPLEMENTED for a method the service does not implement", async () => {
    await serve(async () => ({ subjects: [] }));
    const client = new Client(running!.address, credentials.createInsecure()) as unknown as { getSchema: Call };
    const err = await new Promise<ServiceError>((resolve) => client.getSchema({ subject: "s", version: 0, schemaId: 0 }, (e) => resolve(e!)));
    expect(err.code).toBe(status.UNIMPLEMENTED);
  });

  it("drains an in-flight call on shutdown and refuses new ones", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { call } = await serve(async () => {
      await gate;
      return { subjects: [{ name: "late", description: "", owners: [], compatibility: 0, effectiveCompatibility: 0, latestVersion: 1 }] };
    });
    const inFlight = call("x");
    await new Promise((r) => setTimeout(r, 50));
    const stopping = running!.stop(5000);
    await new Promise((r) => setTimeout(r, 50));
    expect(await checkHealth(running!.address).catch(() => "UNREACHABLE")).not.toBe("SERVING");
    release();
    expect((await inFlight).subjects[0]?.name).toBe("late");
    await stopping;
    await expect(call("y")).rejects.toMatchObject({ code: status.UNAVAILABLE });
  });

  it("serves Prometheus metrics with call counts", async () => {
    const { call } = await serve(async () => ({ subjects: [] }));
    await call("a");
    const text = await (await fetch(`http://127.0.0.1:${running!.metricsServer.port}/metrics`)).text();
    expect(text).toMatch(/grpc_server_handled_total\{method="\/trackway.registry.v1.RegistryService\/ListSubjects",code="OK",service="test"\} 1/);
  });

  it("sends a server stream's error to the client with its code and reason", async () => {
    running = await startService({
      name: "test",
      host: "127.0.0.1",
      port: 0,
      metricsPort: 0,
      services: [
        {
          definition: RegistryServiceService,
          implementation: {
            watch: serverStreaming(async function* () {
              yield { sequence: 1, subject: "a", version: 1, action: "REGISTER" };
              throw new TrackwayError(status.FAILED_PRECONDITION, "WATCH_BEHIND", "the audit log was truncated");
            }),
          },
        },
      ],
      descriptors: [file_trackway_registry_v1_registry],
      logger: silentLogger,
    });
    const client = new Client(running.address, credentials.createInsecure()) as unknown as {
      watch(req: object, opts: { deadline: number }): NodeJS.ReadableStream;
    };
    const stream = client.watch({ afterSequence: 0, sendHead: false }, { deadline: Date.now() + 5000 });
    const got: unknown[] = [];
    const err = await new Promise<ServiceError>((resolve) => {
      stream.on("data", (m: unknown) => got.push(m));
      stream.on("error", (e: ServiceError) => resolve(e));
    });
    expect(got).toHaveLength(1);
    expect(err.code).toBe(status.FAILED_PRECONDITION);
    expect(reasonOf(err)).toBe("WATCH_BEHIND");
  });

  it("serves protoc's grpc.health.v1 descriptor through reflection by file name", async () => {
    await serve(async () => ({ subjects: [] }));
    const files = (await fileByFilename(running!.address, "grpc/health/v1/health.proto")).map((b) => fromBinary(FileDescriptorProtoSchema, b));
    expect(files.map((f) => f.name)).toEqual(["grpc/health/v1/health.proto"]);
    const list = files[0]!.messageType.find((m) => m.name === "HealthListResponse")!;
    expect(list.nestedType.map((n) => n.name)).toEqual(["StatusesEntry"]);
    expect(list.field[0]!.typeName).toBe(".grpc.health.v1.HealthListResponse.StatusesEntry");
  });
});
