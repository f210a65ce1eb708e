import { credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import {
  ComputeServiceClient,
  CountEventsRequest,
  CountUniqueUsersRequest,
  CreateJobRequest,
  FunnelRequest,
  ListJobsRequest,
  StartJobRequest,
  type CountEventsResponse,
  type CountUniqueUsersResponse,
  type CreateJobResponse,
  type FunnelResponse,
  type ListJobsResponse,
  type StartJobResponse,
} from "@trackway/proto/compute/v1";

type Unary<Req, Res> = (req: Req, md: Metadata, opts: { deadline: number }, cb: (e: ServiceError | null, r?: Res) => void) => unknown;

/** The compute gateway RPCs the demo uses, as promises, each call carrying the API key. */
export function computeCalls(address: string, apiKey: string, timeoutMs = 120_000) {
  const raw = new ComputeServiceClient(address, credentials.createInsecure());
  const md = () => {
    const m = new Metadata();
    m.set("x-api-key", apiKey);
    return m;
  };
  const call =
    <Req, Res>(type: { fromPartial(x: object): Req }, fn: Unary<Req, Res>) =>
    (req: object): Promise<Res> =>
      new Promise((resolve, reject) => fn.call(raw, type.fromPartial(req), md(), { deadline: Date.now() + timeoutMs }, (e, r) => (e ? reject(e) : resolve(r!))));
  return {
    listJobs: call(ListJobsRequest, raw.listJobs as Unary<ListJobsRequest, ListJobsResponse>),
    createJob: call(CreateJobRequest, raw.createJob as Unary<CreateJobRequest, CreateJobResponse>),
    startJob: call(StartJobRequest, raw.startJob as Unary<StartJobRequest, StartJobResponse>),
    countEvents: call(CountEventsRequest, raw.countEvents as Unary<CountEventsRequest, CountEventsResponse>),
    countUniqueUsers: call(CountUniqueUsersRequest, raw.countUniqueUsers as Unary<CountUniqueUsersRequest, CountUniqueUsersResponse>),
    funnel: call(FunnelRequest, raw.funnel as Unary<FunnelRequest, FunnelResponse>),
    close: () => raw.close(),
  };
}

/** The calls computeCalls gives. */
export type ComputeCalls = ReturnType<typeof computeCalls>;
