import type { Metadata } from "@grpc/grpc-js";
import { apiKeyFromMetadata } from "@trackway/auth";
import type { Credentials } from "./credentials.js";
import type { RegistryAccess } from "./registry-access.js";

interface Call {
  metadata: Metadata;
}

/** The key of a gRPC call (`x-api-key`, else `authorization: Bearer`). */
export const grpcCredentials = (metadata: Metadata): Credentials => ({ key: apiKeyFromMetadata((name) => metadata.get(name)) });

/** A read RPC: runs `fn` once the call may read the registry. */
export const readRpc =
  <Req, Res>(access: RegistryAccess, fn: (req: Req) => Promise<Res>) =>
  async (req: Req, call: Call): Promise<Res> => {
    await access.read(grpcCredentials(call.metadata));
    return fn(req);
  };

/** A read stream (Watch): checks access before the first message. */
export const readStream = <Req, Res, C extends Call>(access: RegistryAccess, fn: (req: Req, call: C, signal: AbortSignal) => AsyncIterable<Res>) =>
  async function* (req: Req, call: C, signal: AbortSignal): AsyncIterable<Res> {
    await access.read(grpcCredentials(call.metadata));
    yield* fn(req, call, signal);
  };

/**
 * A change RPC: runs `fn` with the authenticated actor once the call's key may change the subject `subjectOf`
 * names (undefined: registry-wide settings). The request's own actor/author fields are ignored.
 */
export const writeRpc =
  <Req, Res>(access: RegistryAccess, action: string, subjectOf: (req: Req) => string | undefined, fn: (req: Req, actor: string) => Promise<Res>) =>
  async (req: Req, call: Call): Promise<Res> =>
    fn(req, await access.write(grpcCredentials(call.metadata), subjectOf(req), action));
