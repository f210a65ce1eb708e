import type { Metadata } from "@grpc/grpc-js";
import type {
  GetSubjectOwnerRequest,
  GetSubjectOwnerResponse,
  GrantPrefixRequest,
  GrantPrefixResponse,
  ListPrefixGrantsResponse,
  RevokePrefixGrantRequest,
  RevokePrefixGrantResponse,
  SetSubjectOwnerRequest,
  SetSubjectOwnerResponse,
} from "@trackway/proto/registry/v1";
import { grpcCredentials } from "../access/grpc-guard.js";
import type { RegistryAccess } from "../access/registry-access.js";

interface Call {
  metadata: Metadata;
}

/** The ownership RPCs: owners and prefix grants, each checked and audited by RegistryAccess. */
export const ownershipRpcs = (access: RegistryAccess) => ({
  getSubjectOwner: async (req: GetSubjectOwnerRequest, call: Call): Promise<GetSubjectOwnerResponse> => {
    await access.read(grpcCredentials(call.metadata));
    return { tenant: (await access.ownership.ownerOf(req.subject)) ?? "" };
  },
  setSubjectOwner: async (req: SetSubjectOwnerRequest, call: Call): Promise<SetSubjectOwnerResponse> => ({
    previousTenant: (await access.setOwner(grpcCredentials(call.metadata), req.subject, req.tenant)) ?? "",
  }),
  grantPrefix: async (req: GrantPrefixRequest, call: Call): Promise<GrantPrefixResponse> => ({
    created: await access.changeGrant(grpcCredentials(call.metadata), req.grant, "GRANT"),
  }),
  revokePrefixGrant: async (req: RevokePrefixGrantRequest, call: Call): Promise<RevokePrefixGrantResponse> => ({
    removed: await access.changeGrant(grpcCredentials(call.metadata), req.grant, "UNGRANT"),
  }),
  listPrefixGrants: async (_req: unknown, call: Call): Promise<ListPrefixGrantsResponse> => {
    await access.read(grpcCredentials(call.metadata));
    return { grants: await access.ownership.grants() };
  },
});
