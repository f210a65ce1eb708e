import { createPromiseClient, type PromiseClient, type PromiseClientOptions } from "@trackway/runtime";
import { KeyServiceClient, KeyServiceService, RegistryServiceClient, RegistryServiceService } from "@trackway/proto/registry/v1";

/** Options of createRegistryClient: a unary deadline (`timeoutMs`, default 30 s), metadata, credentials, and the API key. */
export type RegistryClientOptions = PromiseClientOptions & {
  /** API key sent with every call (`x-api-key`); the registry needs one unless it allows anonymous reads. */
  apiKey?: string;
};

/** The registry's RPCs as promises (partial requests: unset fields take their proto defaults), plus Watch as an async iterable. */
export type RegistryClient = PromiseClient<typeof RegistryServiceService, RegistryServiceClient>;

/** A client of `trackway.registry.v1.RegistryService` at `host:port` (plaintext unless `credentials` say otherwise). */
export function createRegistryClient(address: string, options: RegistryClientOptions = {}): RegistryClient {
  const { apiKey, ...rest } = options;
  return createPromiseClient(RegistryServiceClient, address, apiKey ? { ...rest, metadata: { ...rest.metadata, "x-api-key": apiKey } } : rest);
}

/** The registry's KeyService (issue, list, revoke API keys) as promises. */
export type KeyClient = PromiseClient<typeof KeyServiceService, KeyServiceClient>;

/** A client of `trackway.registry.v1.KeyService` at the registry's gRPC `host:port`, calling with `apiKey` (keys:admin or keys:operator). */
export function createKeyClient(address: string, options: RegistryClientOptions = {}): KeyClient {
  const { apiKey, ...rest } = options;
  return createPromiseClient(KeyServiceClient, address, apiKey ? { ...rest, metadata: { ...rest.metadata, "x-api-key": apiKey } } : rest);
}
