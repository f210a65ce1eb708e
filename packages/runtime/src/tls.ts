import { readFileSync } from "node:fs";
import { credentials, ServerCredentials, status, type ChannelCredentials } from "@grpc/grpc-js";
import { z } from "zod";
import { TrackwayError } from "./errors.js";

/** The TLS settings every server takes (paths to PEM files); spread into a service's config schema. */
export const tlsSettings = {
  /** Server certificate chain (PEM file); with TRACKWAY_TLS_KEY turns TLS on for every gRPC and REST endpoint. @default unset (plaintext) */
  TRACKWAY_TLS_CERT: z.string().min(1).optional().describe("a path to a PEM certificate chain"),
  /** Private key of TRACKWAY_TLS_CERT (PEM file). @default unset */
  TRACKWAY_TLS_KEY: z.string().min(1).optional().describe("a path to a PEM private key"),
  /** CA bundle (PEM file) that client certificates must chain to; set, it makes TLS mutual (clients without one are refused). @default unset */
  TRACKWAY_TLS_CLIENT_CA: z.string().min(1).optional().describe("a path to a PEM CA bundle"),
};

/** What a server needs for TLS: its certificate and key, and the CA of client certificates for mutual TLS. */
export interface ServerTls {
  cert: Buffer;
  key: Buffer;
  clientCa?: Buffer;
}

const tlsInvalid = (message: string, cause?: unknown) => new TrackwayError(status.FAILED_PRECONDITION, "TLS_CONFIG_INVALID", message, { cause });

function read(path: string, name: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw tlsInvalid(`${name}: cannot read ${path}: ${(e as Error).message}`, e);
  }
}

/** Loads the TLS files the settings name; undefined when TLS is off. Throws TLS_CONFIG_INVALID for half a setting or an unreadable file. */
export function serverTlsOf(c: { TRACKWAY_TLS_CERT?: string; TRACKWAY_TLS_KEY?: string; TRACKWAY_TLS_CLIENT_CA?: string }): ServerTls | undefined {
  if (!c.TRACKWAY_TLS_CERT && !c.TRACKWAY_TLS_KEY) {
    if (c.TRACKWAY_TLS_CLIENT_CA) throw tlsInvalid("TRACKWAY_TLS_CLIENT_CA needs TRACKWAY_TLS_CERT and TRACKWAY_TLS_KEY");
    return undefined;
  }
  if (!c.TRACKWAY_TLS_CERT || !c.TRACKWAY_TLS_KEY) throw tlsInvalid("TLS needs both TRACKWAY_TLS_CERT and TRACKWAY_TLS_KEY");
  return {
    cert: read(c.TRACKWAY_TLS_CERT, "TRACKWAY_TLS_CERT"),
    key: read(c.TRACKWAY_TLS_KEY, "TRACKWAY_TLS_KEY"),
    clientCa: c.TRACKWAY_TLS_CLIENT_CA ? read(c.TRACKWAY_TLS_CLIENT_CA, "TRACKWAY_TLS_CLIENT_CA") : undefined,
  };
}

/** gRPC server credentials: TLS (mutual when a client CA is given), else plaintext. */
export function grpcServerCredentials(tls: ServerTls | undefined): ServerCredentials {
  if (!tls) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(tls.clientCa ?? null, [{ cert_chain: tls.cert, private_key: tls.key }], tls.clientCa !== undefined);
}

/** Channel credentials for a service calling another over TLS, trusting the CA in `caPath`; plaintext when unset. */
export function grpcClientCredentials(caPath: string | undefined, name: string): ChannelCredentials {
  return caPath ? credentials.createSsl(read(caPath, name)) : credentials.createInsecure();
}
