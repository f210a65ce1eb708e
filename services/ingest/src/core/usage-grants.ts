/**
 * Which tenants may send which event types (the registry's send restrictions). Implemented over the registry
 * client's usage cache in `store/`, and by a fake in tests. `ready()` once per batch, then a map lookup per event.
 */
export interface SendGrants {
  /** Resolves once the grants are loaded; throws (UNAVAILABLE) when the registry cannot be asked. */
  ready(): Promise<void>;
  /** Whether `tenant` may send events named `eventName`. */
  maySend(eventName: string, tenant: string): boolean;
}
