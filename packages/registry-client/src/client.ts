import { credentials, Metadata, type CallOptions, type ClientReadableStream, type ServiceError } from "@grpc/grpc-js";
import {
  CheckCompatibilityRequest,
  GetSchemaRequest,
  ListAuditEntriesRequest,
  ListSubjectsRequest,
  ListVersionsRequest,
  RegisterSchemaRequest,
  RegistryServiceClient,
  SetCompatibilityRequest,
  SetLifecycleRequest,
  UpdateSubjectRequest,
  WatchRequest,
  type CheckCompatibilityResponse,
  type GetSchemaResponse,
  type ListAuditEntriesResponse,
  type ListSubjectsResponse,
  type ListVersionsResponse,
  type RegisterSchemaResponse,
  type SetCompatibilityResponse,
  type SetLifecycleResponse,
  type UpdateSubjectResponse,
  type WatchResponse,
} from "@trackway/proto/registry/v1";

/** Options of createRegistryClient. */
export interface RegistryClientOptions {
  /** Deadline of each unary call. @default 30000 */
  timeoutMs?: number;
}

/** The registry's RPCs as promises (partial requests: unset fields take their proto defaults), plus Watch as an async iterable. */
export interface RegistryClient {
  registerSchema(req: Partial<RegisterSchemaRequest>): Promise<RegisterSchemaResponse>;
  checkCompatibility(req: Partial<CheckCompatibilityRequest>): Promise<CheckCompatibilityResponse>;
  getSchema(req: Partial<GetSchemaRequest>): Promise<GetSchemaResponse>;
  listSubjects(req?: Partial<ListSubjectsRequest>): Promise<ListSubjectsResponse>;
  listVersions(req: Partial<ListVersionsRequest>): Promise<ListVersionsResponse>;
  setCompatibility(req: Partial<SetCompatibilityRequest>): Promise<SetCompatibilityResponse>;
  setLifecycle(req: Partial<SetLifecycleRequest>): Promise<SetLifecycleResponse>;
  updateSubject(req: Partial<UpdateSubjectRequest>): Promise<UpdateSubjectResponse>;
  listAuditEntries(req?: Partial<ListAuditEntriesRequest>): Promise<ListAuditEntriesResponse>;
  /** Streams changes until `signal` aborts or the stream fails (the iterator then throws the ServiceError). */
  watch(req: Partial<WatchRequest>, signal?: AbortSignal): AsyncIterable<WatchResponse>;
  /** The address it talks to. */
  readonly address: string;
  close(): void;
}

type Unary<Req, Res> = (req: Req, md: Metadata, opts: Partial<CallOptions>, cb: (e: ServiceError | null, r?: Res) => void) => unknown;
/** A generated message type's fromPartial: fills unset fields with defaults (ts-proto's encoder needs them). */
type Fill<Req> = { fromPartial(x: object): Req };

/** A client of `trackway.registry.v1.RegistryService` at `host:port` (plaintext, as inside a cluster). */
export function createRegistryClient(address: string, options: RegistryClientOptions = {}): RegistryClient {
  const raw = new RegistryServiceClient(address, credentials.createInsecure());
  const timeout = options.timeoutMs ?? 30_000;
  const call =
    <Req, Res>(type: Fill<Req>, fn: Unary<Req, Res>) =>
    (req: Partial<Req> = {}): Promise<Res> =>
      new Promise((resolve, reject) => {
        fn.call(raw, type.fromPartial(req), new Metadata(), { deadline: Date.now() + timeout }, (e, r) => (e ? reject(e) : resolve(r!)));
      });
  return {
    address,
    registerSchema: call(RegisterSchemaRequest, raw.registerSchema as Unary<RegisterSchemaRequest, RegisterSchemaResponse>),
    checkCompatibility: call(CheckCompatibilityRequest, raw.checkCompatibility as Unary<CheckCompatibilityRequest, CheckCompatibilityResponse>),
    getSchema: call(GetSchemaRequest, raw.getSchema as Unary<GetSchemaRequest, GetSchemaResponse>),
    listSubjects: call(ListSubjectsRequest, raw.listSubjects as Unary<ListSubjectsRequest, ListSubjectsResponse>),
    listVersions: call(ListVersionsRequest, raw.listVersions as Unary<ListVersionsRequest, ListVersionsResponse>),
    setCompatibility: call(SetCompatibilityRequest, raw.setCompatibility as Unary<SetCompatibilityRequest, SetCompatibilityResponse>),
    setLifecycle: call(SetLifecycleRequest, raw.setLifecycle as Unary<SetLifecycleRequest, SetLifecycleResponse>),
    updateSubject: call(UpdateSubjectRequest, raw.updateSubject as Unary<UpdateSubjectRequest, UpdateSubjectResponse>),
    listAuditEntries: call(ListAuditEntriesRequest, raw.listAuditEntries as Unary<ListAuditEntriesRequest, ListAuditEntriesResponse>),
    watch: (req, signal) => watchStream(raw.watch(WatchRequest.fromPartial(req)), signal),
    close: () => raw.close(),
  };
}

/** Adapts a grpc-js server stream to an async iterable that cancels the call when the consumer stops or `signal` aborts. */
async function* watchStream(stream: ClientReadableStream<WatchResponse>, signal?: AbortSignal): AsyncGenerator<WatchResponse> {
  const onAbort = () => stream.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const message of stream as AsyncIterable<WatchResponse>) yield message;
  } finally {
    signal?.removeEventListener("abort", onAbort);
    stream.cancel();
  }
}
