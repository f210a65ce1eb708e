import { credentials, Metadata, type Client, type ServiceError } from "@grpc/grpc-js";
import { ComputeServiceClient } from "@trackway/proto/compute/v1";
import { RegistryServiceClient } from "@trackway/proto/registry/v1";

type UnaryFn = (req: unknown, md: Metadata, opts: { deadline: number }, cb: (e: ServiceError | null, r?: unknown) => void) => unknown;

/** A message type's `fromPartial` (ts-proto): fills unset fields so the encoder gets a full message. */
interface Fill<Req> {
  fromPartial(x: object): Req;
}

/** The gRPC clients the console calls with, one channel per service shared by every visitor. */
export interface ServiceClients {
  registry: RegistryServiceClient;
  compute: ComputeServiceClient;
  timeoutMs: number;
  close(): void;
}

/** Opens the registry and compute gateway channels (plaintext, as on the local stack). */
export function createServiceClients(o: { registry: string; compute: string; timeoutMs: number }): ServiceClients {
  const registry = new RegistryServiceClient(o.registry, credentials.createInsecure());
  const compute = new ComputeServiceClient(o.compute, credentials.createInsecure());
  return { registry, compute, timeoutMs: o.timeoutMs, close: () => (registry.close(), compute.close()) };
}

/** Metadata that carries the visitor's API key, as every service expects it. */
export function keyMetadata(apiKey: string): Metadata {
  const md = new Metadata();
  md.set("x-api-key", apiKey);
  return md;
}

/** Calls one unary RPC of `client` with the visitor's key and a deadline; rejects with the ServiceError. */
export function callUnary<Req, Res>(client: Client, method: string, type: Fill<Req>, req: object, apiKey: string, timeoutMs: number): Promise<Res> {
  const fn = (client as unknown as Record<string, UnaryFn>)[method];
  if (typeof fn !== "function") return Promise.reject(new Error(`no RPC ${method}`));
  return new Promise((resolve, reject) => {
    fn.call(client, type.fromPartial(req), keyMetadata(apiKey), { deadline: Date.now() + timeoutMs }, (e, r) => (e ? reject(e) : resolve(r as Res)));
  });
}
