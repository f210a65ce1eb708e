import { createReadStream, existsSync, statSync } from "node:fs";
import type { ServerResponse } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

/** Headers on every page and asset: nothing from other origins, no framing, no MIME sniffing. */
export const SECURITY_HEADERS = {
  // ECharts and Preact set inline style attributes; scripts come only from this origin.
  "content-security-policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/**
 * Serves the built app from `dir`: hashed files under `/assets/` are cached for a year, anything else that is not
 * a file gets `index.html` (the app routes by hash, so this only matters for typed-in paths). Returns false when
 * `dir` has no index.html.
 */
export function serveStatic(dir: string, urlPath: string, res: ServerResponse): boolean {
  const index = path.join(dir, "index.html");
  if (!existsSync(index)) return false;
  const decoded = safeDecode(urlPath);
  const file = decoded === null ? index : path.join(dir, path.normalize(decoded));
  const inside = file.startsWith(dir + path.sep) && existsSync(file) && statSync(file).isFile();
  const chosen = inside ? file : index;
  const immutable = inside && decoded!.startsWith("/assets/");
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": TYPES[path.extname(chosen)] ?? "application/octet-stream",
    "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    "content-length": statSync(chosen).size,
  });
  createReadStream(chosen).pipe(res);
  return true;
}

function safeDecode(p: string): string | null {
  try {
    return decodeURIComponent(p);
  } catch {
    return null;
  }
}
