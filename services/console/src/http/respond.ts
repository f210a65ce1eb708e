import type { IncomingMessage, ServerResponse } from "node:http";
import { status as grpcStatus, type ServiceError } from "@grpc/grpc-js";
import { isTrackwayError, REASON_TRAILER } from "@trackway/runtime";
import { badRequest } from "../errors.js";

/** The JSON body of every API error: a stable reason code and a sentence for people. */
export interface ApiError {
  reason: string;
  message: string;
}

/** HTTP status for a gRPC status code, as grpc-gateway maps them. */
const HTTP_OF: Partial<Record<grpcStatus, number>> = {
  [grpcStatus.INVALID_ARGUMENT]: 400,
  [grpcStatus.FAILED_PRECONDITION]: 400,
  [grpcStatus.OUT_OF_RANGE]: 400,
  [grpcStatus.UNAUTHENTICATED]: 401,
  [grpcStatus.PERMISSION_DENIED]: 403,
  [grpcStatus.NOT_FOUND]: 404,
  [grpcStatus.ALREADY_EXISTS]: 409,
  [grpcStatus.ABORTED]: 409,
  [grpcStatus.RESOURCE_EXHAUSTED]: 429,
  [grpcStatus.CANCELLED]: 499,
  [grpcStatus.UNAVAILABLE]: 503,
  [grpcStatus.DEADLINE_EXCEEDED]: 504,
};

/** Writes a JSON response. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/**
 * Maps a failure to an HTTP answer: a TrackwayError or a service's gRPC error keeps its code and reason (the
 * services chose those words for callers); anything else is a generic 500 and the cause is only logged.
 */
export function errorAnswer(e: unknown): { code: number; body: ApiError; internal: boolean } {
  if (isTrackwayError(e)) return { code: HTTP_OF[e.code] ?? 500, body: { reason: e.reason, message: e.message }, internal: false };
  const se = e as Partial<ServiceError>;
  if (typeof se.code === "number" && typeof se.details === "string") {
    const reason = se.metadata?.get(REASON_TRAILER)[0];
    const fallback = se.code === grpcStatus.UNAVAILABLE ? "SERVICE_UNAVAILABLE" : (grpcStatus[se.code] ?? "UNKNOWN");
    return { code: HTTP_OF[se.code as grpcStatus] ?? 502, body: { reason: reason ? String(reason) : fallback, message: se.details }, internal: false };
  }
  return { code: 500, body: { reason: "INTERNAL", message: "the console failed to answer; see its log" }, internal: true };
}

/** Reads a JSON request body of at most `limit` bytes. */
export async function readJson(req: IncomingMessage, limit = 256 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw badRequest(`the request body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw badRequest("the request body is not JSON");
  }
}
