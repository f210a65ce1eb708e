/** Name of the cookie that carries the visitor's API key. */
export const SESSION_COOKIE = "trackway_key";

/** Options of a Set-Cookie header. */
export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** The cookies of a `Cookie` request header, by name (the first of a repeated name wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // A malformed escape is ignored like a missing cookie: the visitor then signs in again.
    }
  }
  return out;
}

/** A Set-Cookie value that JavaScript cannot read (HttpOnly) and other sites cannot send (SameSite=Strict). */
export function sessionCookie(value: string, o: CookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Strict", `Max-Age=${o.maxAgeSeconds}`];
  if (o.secure) parts.push("Secure");
  return parts.join("; ");
}

/** A Set-Cookie value that deletes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie("", { maxAgeSeconds: 0, secure });
}
