import type { Metadata } from "@grpc/grpc-js";

/**
 * The caller's IP address: the first `x-forwarded-for` entry when ingest sits behind a trusted proxy,
 * else the peer address of the connection without its port (`1.2.3.4:5678`, `[::1]:5678`, `::ffff:1.2.3.4:5678`).
 */
export function clientIpOf(peer: string, metadata: Metadata, trustForwardedFor: boolean): string | undefined {
  if (trustForwardedFor) {
    const fwd = metadata.get("x-forwarded-for")[0];
    const first = fwd === undefined ? "" : String(fwd).split(",")[0]!.trim();
    if (first) return first;
  }
  if (!peer || peer === "unknown") return undefined;
  // grpc-js writes `address:port` even for IPv6 (`::1:5678`), so the port is whatever follows the last colon.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(peer);
  const host = bracketed ? bracketed[1]! : peer.replace(/:\d+$/, "");
  return host.startsWith("::ffff:") && host.includes(".") ? host.slice(7) : host;
}
