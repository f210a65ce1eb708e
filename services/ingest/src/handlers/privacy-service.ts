import { status } from "@grpc/grpc-js";
import { authenticator, scoped, type PrincipalLookup } from "@trackway/auth";
import type { DeletionRequest as DeletionRequestProto, DeleteUserRequest, DeleteUserResponse, ListDeletionRequestsRequest, ListDeletionRequestsResponse } from "@trackway/proto/privacy/v1";
import { TrackwayError, unary, type Logger } from "@trackway/runtime";
import type { DeletionRequest, DeletionRequests, DeletionSubject } from "../store/deletion-requests.js";

const MAX_USER_ID = 128;
const MAX_IDS = 100;

const toProto = (r: DeletionRequest): DeletionRequestProto => ({
  id: r.id, userId: r.userId, status: r.status, requestedBy: r.requestedBy, counts: r.counts, days: r.days, step: r.step, createdAt: r.createdAt, updatedAt: r.updatedAt,
  anonymousIds: r.anonymousIds, deviceIds: r.deviceIds, error: r.error,
});

/** The request's ids, trimmed; throws USER_ID_INVALID when none is given or one is empty or too long. */
function subject(req: DeleteUserRequest): DeletionSubject {
  const userId = req.userId.trim();
  const anonymousIds = req.anonymousIds.map((x) => x.trim());
  const deviceIds = req.deviceIds.map((x) => x.trim());
  const others = [...anonymousIds, ...deviceIds];
  const bad = (id: string) => !id || id.length > MAX_USER_ID;
  if ((!userId && others.length === 0) || (userId && bad(userId)) || (req.userId && !userId) || others.some(bad) || others.length > MAX_IDS) {
    throw new TrackwayError(status.INVALID_ARGUMENT, "USER_ID_INVALID", `name a user_id and/or up to ${MAX_IDS} anonymous or device ids, each 1 to ${MAX_USER_ID} characters`);
  }
  return { userId, anonymousIds, deviceIds };
}

/** IngestService's DeleteUser and ListDeletionRequests: deletion requests of the calling key's tenant (scope `users:delete`). */
export function privacyHandlers(keys: PrincipalLookup, requests: DeletionRequests | undefined, logger: Logger) {
  const auth = scoped(authenticator(keys, logger), "users:delete");
  const store = () => {
    if (!requests) throw new TrackwayError(status.UNAVAILABLE, "PRIVACY_UNAVAILABLE", "this ingest has no database for deletion requests");
    return requests;
  };
  return {
    deleteUser: unary<DeleteUserRequest, DeleteUserResponse>(async (req, call) => {
      const p = await auth(call);
      const { request, created } = await store().request(p.tenant, subject(req), `key:${p.keyId}`);
      return { request: toProto(request), created };
    }, logger),
    listDeletionRequests: unary<ListDeletionRequestsRequest, ListDeletionRequestsResponse>(async (_req, call) => {
      const p = await auth(call);
      return { requests: (await store().list(p.tenant)).map(toProto) };
    }, logger),
  };
}
