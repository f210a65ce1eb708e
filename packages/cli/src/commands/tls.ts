import { readFileSync } from "node:fs";
import type { ChannelCredentials } from "@grpc/grpc-js";
import { tlsCredentials } from "@trackway/client";
import type { Command } from "commander";
import { cliEnv } from "../env.js";

/** The TLS flags of a command that talks to a service. */
export interface TlsFlags {
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

/** Adds --tls-ca, --tls-cert and --tls-key (env TRACKWAY_TLS_CA, TRACKWAY_TLS_CLIENT_CERT, TRACKWAY_TLS_CLIENT_KEY). */
export function tlsOptions(c: Command): Command {
  return c
    .option("--tls-ca <file>", "connect with TLS, trusting this CA (PEM) (env TRACKWAY_TLS_CA)", cliEnv.TRACKWAY_TLS_CA)
    .option("--tls-cert <file>", "client certificate (PEM) for mutual TLS (env TRACKWAY_TLS_CLIENT_CERT)", cliEnv.TRACKWAY_TLS_CLIENT_CERT)
    .option("--tls-key <file>", "private key of --tls-cert (PEM) (env TRACKWAY_TLS_CLIENT_KEY)", cliEnv.TRACKWAY_TLS_CLIENT_KEY);
}

const pem = (file: string | undefined, flag: string) => {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`${flag}: cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
};

/** TLS channel credentials when any TLS flag is set; undefined (plaintext) otherwise. */
export function channelCredentials(t: TlsFlags): ChannelCredentials | undefined {
  if (!t.tlsCa && !t.tlsCert && !t.tlsKey) return undefined;
  return tlsCredentials({ ca: pem(t.tlsCa, "--tls-ca"), cert: pem(t.tlsCert, "--tls-cert"), key: pem(t.tlsKey, "--tls-key") });
}
