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
import { grantsConcerning } from "../core/visibility.js";
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
  // A tenant's key sees the grants its tenant holds, gave, or may revoke (under a prefix it holds); read-all or admin all.
  listPrefixGrants: async (_req: unknown, call: Call): Promise<ListPrefixGrantsResponse> => {
    const { tenant } = await access.readView(grpcCredentials(call.metadata));
    if (tenant === undefined) return { grants: await access.ownership.grants(), tenant: "" };
    const grants = grantsConcerning(await access.ownership.givenGrants(), tenant).map((g) => ({ prefix: g.prefix, tenant: g.tenant }));
    return { grants, tenant };
  },
});
