import { toBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { Fingerprint } from "./model.js";

/** Identity of a schema input: the set's bytes (or the files re-serialized in name order) plus the owned file list. */
export function fingerprintOf(registry: FileRegistry, owned: readonly string[], descriptorSet?: Uint8Array): Fingerprint {
  let bytes = descriptorSet;
  if (!bytes) {
    const files = [...registry.files].sort((a, b) => (a.proto.name < b.proto.name ? -1 : 1));
    const parts = files.map((f) => toBinary(FileDescriptorProtoSchema, f.proto));
    bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
  }
  return { hash: `${hashBytes(bytes)}:${bytes.length}:${owned.join(",")}`, bytes };
}

/** Whether two fingerprints denote the same input (hash first, then the bytes, so a collision cannot lie). */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  if (a.hash !== b.hash) return false;
  for (let i = 0; i < a.bytes.length; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  return true;
}

/** cyrb53: a fast 53-bit non-cryptographic hash, as hex. */
function hashBytes(bytes: Uint8Array): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}
