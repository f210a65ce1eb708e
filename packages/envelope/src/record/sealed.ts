import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** A tenant's data key: AES-256-GCM, held in PostgreSQL (`tenant_data_keys`); deleting it shreds what it sealed. */
export interface DataKey {
  /** A UUID; sealed bytes name the key that opens them. */
  id: string;
  /** 32 bytes. */
  key: Uint8Array;
}

/** How a sealed string value starts (a PII_HASH value or hashed header field kept for replay in a rejected record). */
export const SEALED_VALUE_PREFIX = "tw-sealed:v1:";

const VERSION = 1;
const ID_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEAD = 1 + ID_BYTES + IV_BYTES + TAG_BYTES;

const idBytes = (id: string) => Buffer.from(id.replace(/-/g, ""), "hex");
const idText = (b: Uint8Array) => {
  const h = Buffer.from(b).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/**
 * Encrypts bytes with a tenant's data key (AES-256-GCM, fresh 96-bit IV). The tenant is authenticated data, so bytes
 * sealed for one tenant never open as another's. Layout: version (1) · key id (16) · IV (12) · tag (16) · ciphertext.
 */
export function seal(key: DataKey, tenant: string, plaintext: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const c = createCipheriv("aes-256-gcm", key.key, iv);
  c.setAAD(Buffer.from(tenant, "utf8"));
  const body = Buffer.concat([c.update(plaintext), c.final()]);
  return Buffer.concat([Buffer.from([VERSION]), idBytes(key.id), iv, c.getAuthTag(), body]);
}

/** The id of the key that sealed `blob`, or undefined when it is not sealed bytes of this layout. */
export function sealedKeyId(blob: Uint8Array): string | undefined {
  return blob.length >= HEAD && blob[0] === VERSION ? idText(blob.subarray(1, 1 + ID_BYTES)) : undefined;
}

/** Decrypts sealed bytes; undefined when `key` is not the one that sealed them (e.g. shredded) or they were altered. */
export function open(key: DataKey | undefined, tenant: string, blob: Uint8Array): Buffer | undefined {
  if (!key || sealedKeyId(blob) !== key.id) return undefined;
  try {
    const d = createDecipheriv("aes-256-gcm", key.key, blob.subarray(1 + ID_BYTES, 1 + ID_BYTES + IV_BYTES));
    d.setAAD(Buffer.from(tenant, "utf8"));
    d.setAuthTag(blob.subarray(1 + ID_BYTES + IV_BYTES, HEAD));
    return Buffer.concat([d.update(blob.subarray(HEAD)), d.final()]);
  } catch {
    return undefined;
  }
}

/** A string value sealed into a `tw-sealed:v1:<base64url>` token. */
export const sealValue = (key: DataKey, tenant: string, value: string): string =>
  SEALED_VALUE_PREFIX + seal(key, tenant, Buffer.from(value, "utf8")).toString("base64url");

/** Whether a string is a sealed token (it may still not open). */
export const isSealedValue = (value: string): boolean => value.startsWith(SEALED_VALUE_PREFIX);

/** The value a sealed token holds; undefined when it does not open with `key` (another key, shredded, altered). */
export function openValue(key: DataKey | undefined, tenant: string, token: string): string | undefined {
  if (!isSealedValue(token)) return undefined;
  return open(key, tenant, Buffer.from(token.slice(SEALED_VALUE_PREFIX.length), "base64url"))?.toString("utf8");
}

/** An event's original bytes and its batch's common header bytes, sealed together (base64, for `original`). */
export function sealOriginal(key: DataKey, tenant: string, original: Uint8Array, common: Uint8Array): string {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(original.length);
  return seal(key, tenant, Buffer.concat([len, original, common])).toString("base64");
}

/** The bytes sealOriginal sealed, or undefined when they do not open with `key`. */
export function openOriginal(key: DataKey | undefined, tenant: string, sealed: string): { original: Buffer; common: Buffer } | undefined {
  const plain = open(key, tenant, Buffer.from(sealed, "base64"));
  if (!plain || plain.length < 4) return undefined;
  const n = plain.readUInt32BE(0);
  if (4 + n > plain.length) return undefined;
  return { original: plain.subarray(4, 4 + n), common: plain.subarray(4 + n) };
}
