export { TrackwayClient, createClient, type TrackOptions } from "./client.js";
export { compileOptions, LIBRARY, tlsCredentials, type ClientOptions, type CompiledOptions, type TlsOptions } from "./options.js";
export type { ClientHooks, BatchSentInfo, RetryInfo, DropInfo } from "./hooks.js";
export type { OverflowPolicy } from "./event-queue.js";
export { extractCommon } from "@trackway/envelope";
export { backoffMs, classifyFailure, retryDelayMs, type BackoffOptions, type FailureAction } from "./retry-policy.js";
export { StreamTransport, UnaryTransport, type BatchTransport, type TransportOptions } from "./transport.js";
export { sampleMessage } from "./sample.js";
