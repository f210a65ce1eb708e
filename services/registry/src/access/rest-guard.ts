import type { IncomingMessage } from "node:http";
import { isTrackwayError } from "@trackway/runtime";
import { status } from "@grpc/grpc-js";
import { RestError } from "../rest/rest-error.js";
import { restCredentials } from "./credentials.js";
import type { RegistryAccess } from "./registry-access.js";
import { restAccessOf } from "./rest-access.js";

/**
 * The REST auth layer in front of every route: authenticates the request (HTTP Basic `key-id:secret`, Bearer or
 * `x-api-key`), checks it may do what the route does, and returns the actor for the audit log. Refusals are
 * Confluent-shaped errors: 401 (error_code 401) without a valid key, 403 (error_code 40301) without the right.
 */
export async function authorizeRest(access: RegistryAccess, req: IncomingMessage, pathname: string, params: Readonly<Record<string, string>>): Promise<string> {
  const credentials = restCredentials(req.headers);
  const what = restAccessOf(req.method ?? "GET", pathname, params);
  try {
    return what.kind === "read" ? await access.read(credentials) : await access.write(credentials, what.subject, what.action);
  } catch (e) {
    throw restAuthError(e);
  }
}

/** Auth failures as Confluent-shaped REST errors; anything else unchanged. */
function restAuthError(e: unknown): unknown {
  if (!isTrackwayError(e)) return e;
  if (e.code === status.UNAUTHENTICATED) return new RestError(401, 401, `${e.message} (${e.reason}); send HTTP Basic key-id:secret, or Authorization: Bearer <key>`);
  if (e.code === status.PERMISSION_DENIED) return new RestError(403, 40301, `${e.message} (${e.reason})`);
  if (e.code === status.UNAVAILABLE) return new RestError(503, 50003, e.message);
  return e;
}
