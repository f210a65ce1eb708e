import { status } from "@grpc/grpc-js";
import { authenticator, scoped, type PrincipalLookup } from "@trackway/auth";
import type { DeletionRequest as DeletionRequestProto, DeleteUserRequest, DeleteUserResponse, ListDeletionRequestsRequest, ListDeletionRequestsResponse } from "@trackway/proto/privacy/v1";
import { TrackwayError, unary, type Logger } from "@trackway/runtime";
import type { DeletionRequest, DeletionRequests } from "../store/deletion-requests.js";

const MAX_USER_ID = 128;

const toProto = (r: DeletionRequest): DeletionRequestProto => ({
  id: r.id, userId: r.userId, status: r.status, requestedBy: r.requestedBy, counts: r.counts, days: r.days, step: r.step, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

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
      const userId = req.userId.trim();
      if (!userId || userId.length > MAX_USER_ID) {
        throw new TrackwayError(status.INVALID_ARGUMENT, "USER_ID_INVALID", `user_id must be 1 to ${MAX_USER_ID} characters`);
      }
      const { request, created } = await store().request(p.tenant, userId, `key:${p.keyId}`);
      return { request: toProto(request), created };
    }, logger),
    listDeletionRequests: unary<ListDeletionRequestsRequest, ListDeletionRequestsResponse>(async (_req, call) => {
      const p = await auth(call);
      return { requests: (await store().list(p.tenant)).map(toProto) };
    }, logger),
  };
}
