import type { IncomingMessage } from "node:http";

/**
 * The request's URL, or null when its target does not parse. Node's HTTP parser accepts absolute-form targets
 * such as `GET http://[ HTTP/1.1`, which `new URL` refuses with a throw: inside a request listener that throw is
 * uncaught and ends the process, so one request could stop a server. Callers answer null with a 400.
 */
export function requestUrl(req: IncomingMessage, base: string): URL | null {
  try {
    return new URL(req.url ?? "/", base);
  } catch {
    return null;
  }
}

/** The body every HTTP server of Trackway answers an unparsable request target with. */
export const BAD_REQUEST_TARGET = {
  reason: "BAD_REQUEST_TARGET",
  message: "the request target is not a valid URL path; send a path such as /healthz",
} as const;
