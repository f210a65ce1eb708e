import type { IncomingMessage } from "node:http";
import { bodyInvalid, bodyNotJson, bodyTooLarge } from "./rest-error.js";

/**
 * Reads a request body as JSON, refusing it with 413 as soon as it passes `limit` bytes (by Content-Length or
 * while streaming) so an oversized upload costs no more than the limit. An empty body is `{}`.
 */
export async function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw bodyTooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw bodyTooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw bodyNotJson((e as Error).message);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw bodyInvalid("request body must be a JSON object");
  return parsed as Record<string, unknown>;
}
