/** What a REST request does, for access control: a read, or a change to a subject (undefined: registry-wide). */
export type RestAccess = { kind: "read" } | { kind: "write"; subject: string | undefined; action: string };

/**
 * Classifies a REST request by method and path. GET, compatibility checks (`POST /compatibility/…`) and the
 * lookup `POST /subjects/{s}` read; every other POST, PUT and DELETE changes the subject its path names, or
 * registry-wide settings (`PUT /config`, `PUT /mode`) when it names none. Unknown routes count as changes, so a
 * new route is protected before anyone thinks about it.
 */
export function restAccessOf(method: string, pathname: string, params: Readonly<Record<string, string>>): RestAccess {
  if (method === "GET" || method === "HEAD") return { kind: "read" };
  const segments = pathname.split("/").filter(Boolean);
  if (segments[0] === "compatibility") return { kind: "read" };
  if (method === "POST" && segments[0] === "subjects" && segments.at(-1) !== "versions") return { kind: "read" };
  return { kind: "write", subject: params.subject, action: `${method} /${segments[0] ?? ""}` };
}
