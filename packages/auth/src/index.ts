export { API_KEY_PREFIX, apiKeyFromMetadata, generateApiKey, hashApiKey, keyHint, looksLikeApiKey } from "./api-key.js";
export { DEFAULT_SCOPES, SCOPES, isScope, parseScopes, type KeyRateLimits, type Principal, type PrincipalLookup, type Scope } from "./principal.js";
export { CachedApiKeys, type KeyCacheOptions } from "./key-cache.js";
export { API_KEY_CHANGES_CHANNEL, followKeyChanges, type ForgetfulKeys } from "./key-changes.js";
export { ApiKeyStore, type ApiKeyRecord, type NewApiKey } from "./api-key-store.js";
export { authenticateKey, authenticator, requireScope, scoped, type Authenticate, type CallWithMetadata } from "./authenticate.js";
export { apiKeyInvalid, apiKeyMissing, keyStoreUnavailable, scopeMissing, scopeUnknown } from "./errors.js";
export { tenantMetricId } from "./tenant-metric-id.js";
export { decideKeyAdmin, type KeyAdminDecision } from "./key-admin.js";
