import { createPromiseClient, type PromiseClient, type PromiseClientOptions } from "@trackway/runtime";
import { RegistryServiceClient, RegistryServiceService } from "@trackway/proto/registry/v1";

/** Options of createRegistryClient: a unary deadline (`timeoutMs`, default 30 s), metadata, credentials. */
export type RegistryClientOptions = PromiseClientOptions;

/** The registry's RPCs as promises (partial requests: unset fields take their proto defaults), plus Watch as an async iterable. */
export type RegistryClient = PromiseClient<typeof RegistryServiceService, RegistryServiceClient>;

/** A client of `trackway.registry.v1.RegistryService` at `host:port` (plaintext, as inside a cluster). */
export function createRegistryClient(address: string, options: RegistryClientOptions = {}): RegistryClient {
  return createPromiseClient(RegistryServiceClient, address, options);
}
