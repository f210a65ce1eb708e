import { ApiKeyStore, CachedApiKeys, followKeyChanges } from "@trackway/auth";
import { createPool, defaultMigrationsDir, migrate, type Listener } from "@trackway/db";
import type { ServerUnaryCall } from "@grpc/grpc-js";
import {
  KeyServiceService,
  RegistryServiceService,
  type RegisterSchemaRequest,
  type RegisterSchemaResponse,
  type ListAuditEntriesRequest,
  type SetCompatibilityRequest,
  type SetEnforcementRequest,
  type SetLifecycleRequest,
  type UpdateSubjectRequest,
} from "@trackway/proto/registry/v1";
import { file_trackway_registry_v1_registry } from "@trackway/proto/es/registry/v1";
import { serverStreaming, startService, unary, type Logger, type RunningService, serverTlsOf } from "@trackway/runtime";
import { grpcCredentials, readRpc, readStream, writeRpc } from "./access/grpc-guard.js";
import { RegistryAccess } from "./access/registry-access.js";
import { compileProto } from "./compiler/index.js";
import type { RegistryConfig } from "./config.js";
import { checkCompatibility as checkCore } from "./core/compatibility.js";
import { registerEnvelope } from "./envelope.js";
import { checkCompatibility } from "./handlers/check-compatibility.js";
import { getSchema } from "./handlers/get-schema.js";
import { listAuditEntries } from "./handlers/list-audit-entries.js";
import { listSubjects } from "./handlers/list-subjects.js";
import { keyRpcs } from "./handlers/keys.js";
import { listVersions } from "./handlers/list-versions.js";
import { ownershipRpcs } from "./handlers/ownership.js";
import { usageRpcs } from "./handlers/usage.js";
import { registerSchema } from "./handlers/register-schema.js";
import { setCompatibility } from "./handlers/set-compatibility.js";
import { setEnforcement } from "./handlers/set-enforcement.js";
import { setLifecycle } from "./handlers/set-lifecycle.js";
import { updateSubject } from "./handlers/update-subject.js";
import { watch } from "./handlers/watch.js";
import { CompiledCache } from "./operations/compiled-cache.js";
import { warmUp } from "./operations/warm-up.js";
import type { RegistryDeps } from "./operations/deps.js";
import { startRestServer } from "./rest/rest-server.js";
import { RegistryReads } from "./store/reads.js";
import { WatchHub } from "./store/watch-hub.js";

/** A running registry: the gRPC service (health, reflection, /metrics) plus the Confluent REST API. */
export interface RunningRegistry extends RunningService {
  /** Port of the Confluent-compatible REST API. */
  readonly restPort: number;
  /** The operations the servers use (for in-process tools such as the benchmark). */
  readonly deps: RegistryDeps;
  /** Access control: owners, grants (for in-process admin tools and tests). */
  readonly access: RegistryAccess;
}

/**
 * Starts the registry: applies migrations (unless turned off), then serves gRPC `trackway.registry.v1.RegistryService`
 * and the REST API, and registers the event envelope. `stop()` ends Watch streams (UNAVAILABLE, so watchers
 * reconnect elsewhere), closes REST, drains gRPC and closes the database pool.
 */
export async function startRegistry(config: RegistryConfig, logger: Logger): Promise<RunningRegistry> {
  // Read before anything starts: a bad TLS setting fails the start with nothing to clean up.
  const tls = serverTlsOf(config);
  const pool = createPool(config.DATABASE_URL, {
    max: config.TRACKWAY_REGISTRY_DB_POOL,
    applicationName: "trackway-registry",
    onIdleError: (err) => logger.warn("idle database connection failed", { err: err.message }),
  });
  let keyChanges: Listener | undefined;
  try {
    if (config.TRACKWAY_REGISTRY_MIGRATE) {
      const applied = await migrate(pool, defaultMigrationsDir);
      if (applied.length > 0) logger.info("database migrated", { applied });
    }
    const deps: RegistryDeps = { pool, reads: new RegistryReads(pool), compile: compileProto, check: checkCore, compiled: new CompiledCache(config.TRACKWAY_REGISTRY_DESCRIPTOR_CACHE), logger };
    const hub = new WatchHub(pool, config.DATABASE_URL, logger.child("watch"), { pollMs: config.TRACKWAY_REGISTRY_WATCH_POLL });
    await hub.start();
    const keyStore = new ApiKeyStore(pool);
    const keys = new CachedApiKeys(keyStore, { ttlMs: config.TRACKWAY_REGISTRY_KEY_CACHE_TTL, maxEntries: 10_000 });
    keyChanges = followKeyChanges(config.DATABASE_URL, keys, logger.child("auth"));
    const access = new RegistryAccess(
      pool,
      keys,
      { anonymousRead: config.TRACKWAY_REGISTRY_ANONYMOUS_READ, newSubjects: config.TRACKWAY_REGISTRY_NEW_SUBJECTS },
      logger.child("access"),
    );
    const rest = await startRestServer({
      host: config.TRACKWAY_REGISTRY_HOST,
      port: config.TRACKWAY_REGISTRY_REST_PORT,
      bodyLimit: config.TRACKWAY_REGISTRY_REST_BODY_LIMIT,
      deps,
      access,
      tls,
      logger,
    });
    const register = registerSchema(deps);
    const registerWrite = writeRpc(access, "REGISTER", (r: RegisterSchemaRequest) => r.subject, register);
    const ownership = ownershipRpcs(access);
    const keyAdmin = keyRpcs(access, keyStore, pool);
    const usage = usageRpcs(access, pool);
    const implementation = {
      // A dry run only checks: it needs read access, like CheckCompatibility.
      registerSchema: unary(
        async (req: RegisterSchemaRequest, call: ServerUnaryCall<RegisterSchemaRequest, RegisterSchemaResponse>) =>
          req.dryRun ? register(req, await access.read(grpcCredentials(call.metadata))) : registerWrite(req, call),
        logger,
      ),
      checkCompatibility: unary(readRpc(access, checkCompatibility(deps)), logger),
      getSchema: unary(readRpc(access, getSchema(deps)), logger),
      listSubjects: unary(readRpc(access, listSubjects(deps)), logger),
      listVersions: unary(readRpc(access, listVersions(deps)), logger),
      // An empty subject sets the global default: registry-wide, so schemas:admin.
      setCompatibility: unary(writeRpc(access, "SET_COMPATIBILITY", (r: SetCompatibilityRequest) => r.subject || undefined, setCompatibility(deps)), logger),
      setLifecycle: unary(writeRpc(access, "SET_LIFECYCLE", (r: SetLifecycleRequest) => r.subject, setLifecycle(deps)), logger),
      updateSubject: unary(writeRpc(access, "UPDATE_SUBJECT", (r: UpdateSubjectRequest) => r.subject, updateSubject(deps)), logger),
      listAuditEntries: unary(async (req: ListAuditEntriesRequest, call: ServerUnaryCall<ListAuditEntriesRequest, unknown>) => {
        const { tenant } = await access.readView(grpcCredentials(call.metadata));
        return listAuditEntries(deps)(req, tenant);
      }, logger),
      watch: serverStreaming(readStream(access, watch(deps, hub)), logger),
      setEnforcement: unary(writeRpc(access, "SET_ENFORCEMENT", (r: SetEnforcementRequest) => r.subject, setEnforcement(deps)), logger),
      getSubjectOwner: unary(ownership.getSubjectOwner, logger),
      setSubjectOwner: unary(ownership.setSubjectOwner, logger),
      grantPrefix: unary(ownership.grantPrefix, logger),
      revokePrefixGrant: unary(ownership.revokePrefixGrant, logger),
      listPrefixGrants: unary(ownership.listPrefixGrants, logger),
      setUsageRestriction: unary(usage.setUsageRestriction, logger),
      clearUsageRestriction: unary(usage.clearUsageRestriction, logger),
      listUsageRestrictions: unary(usage.listUsageRestrictions, logger),
    };
    const service = await startService({
      name: "registry",
      host: config.TRACKWAY_REGISTRY_HOST,
      port: config.TRACKWAY_REGISTRY_PORT,
      metricsPort: config.TRACKWAY_REGISTRY_METRICS_PORT,
      metricsHost: config.TRACKWAY_REGISTRY_METRICS_HOST,
      tls,
      services: [
        { definition: RegistryServiceService, implementation },
        {
          definition: KeyServiceService,
          implementation: { createKey: unary(keyAdmin.createKey, logger), listKeys: unary(keyAdmin.listKeys, logger), revokeKey: unary(keyAdmin.revokeKey, logger) },
        },
      ],
      descriptors: [file_trackway_registry_v1_registry],
      logger,
      onStop: () => pool.end(),
    });
    if (config.TRACKWAY_REGISTRY_ENVELOPE_SUBJECT) {
      // A broken or incompatible envelope must not keep the registry down: log it, serve the rest.
      await registerEnvelope(deps, config.TRACKWAY_REGISTRY_ENVELOPE_SUBJECT).then(
        (r) => logger.info("envelope registered", { subject: config.TRACKWAY_REGISTRY_ENVELOPE_SUBJECT, ...r }),
        (e: unknown) => logger.error("envelope not registered", { subject: config.TRACKWAY_REGISTRY_ENVELOPE_SUBJECT, err: (e as Error).message }),
      );
    }
    const warming = new AbortController();
    void warmUp(deps, warming.signal).then(
      (r) => logger.info("descriptor cache warmed", { ...r, bytes: deps.compiled.bytes }),
      (e: unknown) => logger.warn("descriptor cache warm-up failed", { err: (e as Error).message }),
    );
    let stopping: Promise<void> | undefined;
    return {
      ...service,
      address: service.address,
      restPort: rest.port,
      deps,
      access,
      // Watch streams never end by themselves: end them first so the gRPC drain does not wait out its grace.
      stop: (graceMs?: number) =>
        (stopping ??= (async () => {
          warming.abort();
          await keyChanges?.close();
          await hub.stop();
          await rest.close();
          await service.stop(graceMs);
        })()),
    };
  } catch (e) {
    await keyChanges?.close();
    await pool.end().catch(() => {});
    throw e;
  }
}
