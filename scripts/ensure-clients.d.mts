/** grpcurl's pinned version. */
export const GRPCURL_VERSION: string;
/** Where the client installs are cached. */
export function cacheDir(): string;
/** A cached venv with the pinned Python Confluent client; returns its python executable. */
export function ensurePython(): string;
/** The cached Go client program built with confluent-kafka-go; returns its binary. */
export function ensureGoClient(): string;
/** grpcurl at its pinned version; returns its binary. */
export function ensureGrpcurl(): string;
/** Installs every client; returns their paths. */
export function ensureClients(): { python: string; goClient: string; grpcurl: string };
