-- ListUsageRestrictions, ListPrefixGrants and ListAuditEntries answer a tenant's key only what concerns its tenant
-- (services/registry/README.md, "Authentication, scopes, owners and grants"); the whole snapshot that ingest and the
-- compute gateway enforce restrictions with takes the new scope schemas:read-all. The local stack's service key
-- (tenant trackway-services, issued with schemas:read only) gets it here, so a running stack keeps enforcing.
-- Services of other deployments: issue their registry key with schemas:read-all (they refuse a limited snapshot).
UPDATE api_keys SET scopes = array_append(scopes, 'schemas:read-all')
WHERE tenant = 'trackway-services' AND 'schemas:read' = ANY (scopes) AND NOT ('schemas:read-all' = ANY (scopes));
