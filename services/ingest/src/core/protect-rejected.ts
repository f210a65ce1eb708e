import { propertiesFromJson, sealOriginal, sealValue, type DataKey, type JsonObject, type RejectedProtection } from "@trackway/envelope";
import { Event, type EventHeader } from "@trackway/proto/event/v1";
import { applyHeaderPolicy, keepsAll, type HeaderPolicy } from "./pii-header.js";
import { applyPropertiesPii, hasPii } from "./pii-properties.js";
import type { ResolvedSchema } from "./schema-lookup.js";

/** What a rejected record keeps of an event: its bytes (as `original`), the batch's common bytes and how they are protected. */
export interface KeptBytes {
  original: Uint8Array;
  common: Uint8Array;
  protection?: RejectedProtection;
  keyId?: string;
}

/** A rejected event as protection sees it: its raw bytes and whatever of it was read. */
export interface RejectedEventBytes {
  tenant: string;
  original: Uint8Array;
  common: Uint8Array;
  /** The merged header as sent (before the policy), when it parsed. */
  header: EventHeader | undefined;
  schema: ResolvedSchema | undefined;
  /** The decoded properties (JSON, .proto names), when they decoded. */
  properties: JsonObject | undefined;
}

/**
 * The bytes a rejected record keeps, so no raw value the tenant's policy hashes, drops, masks or truncates is stored.
 * Nothing to protect (a header policy that keeps all and a contract that marks nothing, or no data key): as received.
 * Decoded properties: the event re-encoded (protection `policy`) with the policy applied to header and properties,
 * each HASH value sealed instead of hashed so replay hashes it once. Otherwise: original and common bytes sealed.
 */
export function protectRejected(e: RejectedEventBytes, policy: HeaderPolicy, key: DataKey | undefined): KeptBytes {
  const asReceived = { original: e.original, common: e.common };
  // Nothing is marked that we know of: an unregistered event has no marks (see README "Personal data").
  if (!key || (keepsAll(policy) && !(e.schema && hasPii(e.schema.message)))) return asReceived;
  const sealToken = (v: string) => sealValue(key, e.tenant, v);
  if (e.header && e.schema && e.properties) {
    try {
      const json = structuredClone(e.properties);
      applyPropertiesPii(e.schema.message, json, sealToken);
      const properties = propertiesFromJson(e.schema.message, json, e.schema.registry);
      const header = applyHeaderPolicy(e.header, undefined, policy, sealToken).header;
      return { original: Event.encode({ header, properties: Buffer.from(properties) }).finish(), common: new Uint8Array(0), protection: "policy", keyId: key.id };
    } catch {
      // A HASH or MASK mark on a non-string field cannot be re-encoded as text: sealed whole below.
    }
  }
  return { original: Buffer.from(sealOriginal(key, e.tenant, e.original, e.common), "base64"), common: new Uint8Array(0), protection: "sealed", keyId: key.id };
}
