import { credentials, loadPackageDefinition, makeGenericClientConstructor, type Client, type ServiceError } from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { service as healthService } from "grpc-health-check";

const require = createRequire(import.meta.url);

/** Asks a server's grpc.health.v1 service for the status of `service` ("" for the whole server). */
export async function checkHealth(address: string, service = "", timeoutMs = 5000): Promise<string> {
  const Health = makeGenericClientConstructor(healthService, "Health");
  const client = new Health(address, credentials.createInsecure());
  try {
    return await new Promise<string>((resolve, reject) => {
      client.makeUnaryRequest(
        "/grpc.health.v1.Health/Check",
        (x: { service: string }) => healthService.Check!.requestSerialize(x),
        (b: Buffer) => healthService.Check!.responseDeserialize(b) as { status: string },
        { service },
        { deadline: Date.now() + timeoutMs },
        (err: ServiceError | null, res?: { status: string }) => (err ? reject(err) : resolve(res?.status ?? "UNKNOWN")),
      );
    });
  } finally {
    client.close();
  }
}

interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

/** Sends one grpc.reflection.v1 request and resolves with the server's answer (an error_response rejects). */
async function reflect(address: string, request: Record<string, string>, timeoutMs: number): Promise<ReflectionResponse> {
  const protoFile = join(dirname(require.resolve("@grpc/reflection/package.json")), "build/proto/grpc/reflection/v1/reflection.proto");
  const pkg = loadPackageDefinition(loadSync(protoFile, { keepCase: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: new (a: string, c: ReturnType<typeof credentials.createInsecure>) => Client } } };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure()) as Client & {
    ServerReflectionInfo(opts: { deadline: number }): NodeJS.ReadWriteStream & { write(x: unknown): boolean; end(): void };
  };
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      const call = client.ServerReflectionInfo({ deadline: Date.now() + timeoutMs });
      call.on("data", (res: ReflectionResponse) => {
        if (res.error_response) reject(Object.assign(new Error(res.error_response.error_message), { code: res.error_response.error_code }));
        else resolve(res);
        call.end();
      });
      call.on("error", reject);
      call.write(request);
    });
  } finally {
    client.close();
  }
}

/** Lists the services a server exposes through gRPC server reflection (what `grpcurl list` prints). */
export async function listServices(address: string, timeoutMs = 5000): Promise<string[]> {
  const res = await reflect(address, { list_services: "" }, timeoutMs);
  return (res.list_services_response?.service ?? []).map((s) => s.name).sort();
}

/** The serialized FileDescriptorProtos a server's reflection returns for a file name (the file and its imports). */
export async function fileByFilename(address: string, fileName: string, timeoutMs = 5000): Promise<Uint8Array[]> {
  const res = await reflect(address, { file_by_filename: fileName }, timeoutMs);
  return (res.file_descriptor_response?.file_descriptor_proto ?? []).map((b) => new Uint8Array(b));
}
