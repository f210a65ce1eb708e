import { credentials, Metadata, type CallOptions, type ChannelCredentials, type ChannelOptions, type Client, type ClientOptions, type ClientReadableStream } from "@grpc/grpc-js";

/** The parts of a generated (ts-proto `outputServices=grpc-js`) method definition a promise client uses. */
interface MethodDefinition<Req, Res> {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize: (value: Req) => Buffer;
  requestDeserialize: (value: Buffer) => Req;
  responseDeserialize: (value: Buffer) => Res;
}

type RequestOf<M> = M extends { requestDeserialize: (value: Buffer) => infer R } ? R : never;
type ResponseOf<M> = M extends { responseDeserialize: (value: Buffer) => infer R } ? R : never;

/** Per-call settings of a promise client's method. */
export interface CallSettings {
  /** Sent in addition to the client's own metadata (same keys replace it). */
  metadata?: Metadata;
  /** Deadline of this call in ms; overrides the client's `timeoutMs`. */
  timeoutMs?: number;
  /** Cancels the call (a unary call then rejects with CANCELLED; a stream ends its iterator). */
  signal?: AbortSignal;
}

/**
 * A service's unary RPCs as promise methods and its server-streaming RPCs as async iterables. Requests are
 * partial: unset top-level fields take their proto defaults. Client- and bidi-streaming RPCs are left out (use
 * the generated client for those). A failed call rejects (or throws from the iterator) with grpc-js's ServiceError.
 */
export type PromiseClient<S, C extends Client = Client> = {
  [K in keyof S as S[K] extends { requestStream: false } ? K : never]: S[K] extends { responseStream: true }
    ? (req?: Partial<RequestOf<S[K]>>, settings?: CallSettings) => AsyncIterable<ResponseOf<S[K]>>
    : (req?: Partial<RequestOf<S[K]>>, settings?: CallSettings) => Promise<ResponseOf<S[K]>>;
} & {
  /** The address it talks to. */
  readonly address: string;
  /** The underlying generated grpc-js client, for calls a promise cannot express (client or bidi streams, response metadata). */
  readonly raw: C;
  /** The metadata every call sends (a fresh copy). */
  metadata(): Metadata;
  close(): void;
};

/** Options of createPromiseClient. */
export interface PromiseClientOptions {
  /** Deadline of each unary call in ms; streams have none unless a call sets one. @default 30000 */
  timeoutMs?: number;
  /** Metadata sent with every call, e.g. `{ "x-api-key": key }`. @default {} */
  metadata?: Record<string, string>;
  /** Channel credentials. @default plaintext (as inside a cluster or on localhost) */
  credentials?: ChannelCredentials;
  /** grpc-js channel options, e.g. `grpc.default_compression_algorithm`. @default {} */
  channelOptions?: ChannelOptions;
}

/** A generated grpc-js client constructor (ts-proto `outputServices=grpc-js`), which carries its service definition. */
export interface GeneratedClient<S, C extends Client> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): C;
  service: S;
}

/**
 * A promise client of a generated service at `host:port`, so callers need no casts around grpc-js's overloaded
 * callback methods: `createPromiseClient(RegistryServiceClient, address).listSubjects({ prefix: "shop." })`.
 */
export function createPromiseClient<S extends object, C extends Client>(ctor: GeneratedClient<S, C>, address: string, options: PromiseClientOptions = {}): PromiseClient<S, C> {
  const raw = new ctor(address, options.credentials ?? credentials.createInsecure(), options.channelOptions ?? {});
  const definition = ctor.service;
  const defaultTimeout = options.timeoutMs ?? 30_000;
  const metadata = () => {
    const md = new Metadata();
    for (const [k, v] of Object.entries(options.metadata ?? {})) md.set(k, v);
    return md;
  };
  const callMetadata = (s: CallSettings) => {
    const md = metadata();
    for (const [k, v] of Object.entries(s.metadata?.getMap() ?? {})) md.set(k, v);
    return md;
  };
  const methods: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(definition) as [string, MethodDefinition<object, unknown>][]) {
    if (def.requestStream) continue;
    const fill = (req: object = {}) => fillRequest(def, req);
    if (def.responseStream) {
      methods[name] = (req?: object, s: CallSettings = {}) => {
        const opts: Partial<CallOptions> = s.timeoutMs ? { deadline: Date.now() + s.timeoutMs } : {};
        return iterate(() => raw.makeServerStreamRequest(def.path, def.requestSerialize, def.responseDeserialize, fill(req), callMetadata(s), opts), s.signal);
      };
    } else {
      methods[name] = (req?: object, s: CallSettings = {}) =>
        new Promise((resolve, reject) => {
          const call = raw.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, fill(req), callMetadata(s), { deadline: Date.now() + (s.timeoutMs ?? defaultTimeout) }, (e, r) =>
            e ? reject(e) : resolve(r),
          );
          s.signal?.addEventListener("abort", () => call.cancel(), { once: true });
        });
    }
  }
  return Object.assign(methods, { address, raw, metadata, close: () => raw.close() }) as PromiseClient<S, C>;
}

/**
 * The request with its unset top-level fields filled with proto defaults: decoding zero bytes yields a message
 * whose every field has its default, which ts-proto's encoder needs (it writes whatever scalar it is given).
 */
function fillRequest<Req extends object>(def: MethodDefinition<Req, unknown>, req: Partial<Req>): Req {
  const defaults = def.requestDeserialize(Buffer.alloc(0));
  const set = Object.fromEntries(Object.entries(req).filter(([, v]) => v !== undefined));
  return { ...defaults, ...set } as Req;
}

/** Adapts a server stream, started when iteration starts, to an async iterable that cancels the call when the consumer stops or `signal` aborts. */
async function* iterate<Res>(start: () => ClientReadableStream<Res>, signal?: AbortSignal): AsyncGenerator<Res> {
  if (signal?.aborted) return;
  const stream = start();
  const onAbort = () => stream.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const message of stream as AsyncIterable<Res>) yield message;
  } catch (e) {
    // A cancel we asked for ends the iteration quietly; anything else is the caller's to see.
    if (!signal?.aborted) throw e;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream.cancel();
  }
}
