-- Scopes: what an API key may do (events:write, query:read, schemas:read, schemas:write, schemas:admin,
-- jobs:admin, keys:admin; see packages/auth). Existing keys keep what they could do before: send events, query
-- their tenant's data and read the registry (which needed no key then). Operator rights used to be the tenant name `trackway-ops`; they are a scope now, so that
-- tenant's existing keys get `jobs:admin` once, here, and no code looks at the name again.
-- The default stays so that an older binary inserting without scopes still issues keys that behave as before.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS scopes TEXT[] NOT NULL DEFAULT '{events:write,query:read,schemas:read}';
UPDATE api_keys SET scopes = array_append(scopes, 'jobs:admin') WHERE tenant = 'trackway-ops' AND NOT ('jobs:admin' = ANY (scopes));
