import { isSealedValue, openValue, type DataKey } from "@trackway/envelope";
import type { Hasher } from "./pii-properties.js";

/**
 * The tenant's hasher for values that may be sealed tokens, which a rejected record keeps instead of a HASH value
 * (see RejectedProtection `policy`): a token is opened with the tenant's data key and its value hashed, so a replayed
 * event gets the hash it would have had. A token that does not open (the key was shredded by a deletion request, or
 * it was sealed for another tenant) yields "": its value is gone and nothing is made up in its place.
 */
export function unsealingHasher(hash: Hasher, tenant: string, key: DataKey | undefined): Hasher {
  return (value) => {
    if (!isSealedValue(value)) return hash(value);
    const opened = openValue(key, tenant, value);
    return opened === undefined ? "" : hash(opened);
  };
}
