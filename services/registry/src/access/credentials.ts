import type { IncomingHttpHeaders } from "node:http";

/** The key a request carries; `keyId` when it came as HTTP Basic `key-id:secret`, which must then match the key. */
export interface Credentials {
  key?: string;
  keyId?: string;
}

/**
 * The credentials of a REST request: HTTP Basic `key-id:secret` (how Confluent clients send
 * `basic.auth.user.info`), `authorization: Bearer <key>`, or an `x-api-key` header.
 */
export function restCredentials(headers: IncomingHttpHeaders): Credentials {
  const auth = headers.authorization?.trim() ?? "";
  const basic = /^basic\s+(\S+)$/i.exec(auth);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    // Without a colon the whole value is taken as the secret, as curl -u key sends it with an empty password.
    return colon < 0 ? { key: decoded } : { keyId: decoded.slice(0, colon), key: decoded.slice(colon + 1) };
  }
  const bearer = /^bearer\s+(\S+)$/i.exec(auth);
  if (bearer) return { key: bearer[1] };
  const header = headers["x-api-key"];
  const direct = (Array.isArray(header) ? header[0] : header)?.trim();
  return direct ? { key: direct } : {};
}
