import { checkAgainstData } from "./handlers/check-against-data.js";
import { ComputeServiceService } from "@trackway/proto/compute/v1";
import { file_trackway_compute_v1_compute } from "@trackway/proto/es/compute/v1";
import { createPool, defaultMigrationsDir, migrate } from "@trackway/db";
import { ApiKeyStore, authenticator, CachedApiKeys, followKeyChanges } from "@trackway/auth";
import { FlinkRestClient, SqlGatewayClient } from "@trackway/flink";
import { serverStreaming, ServiceMetrics, startService, unary, type Logger, type RunningService, grpcClientCredentials, serverTlsOf } from "@trackway/runtime";
import { loadWarehouse } from "@trackway/warehouse";
import { flinkKafkaOptions, kafkaSecurityOf } from "@trackway/kafka";
import type { ComputeGatewayConfig } from "./config.js";
import { TenantLimiter } from "./core/tenant-limiter.js";
import { SlotGate } from "./store/slot-gate.js";
import { operatorAuthenticator, queryAuthenticator } from "./handlers/auth.js";
import { JobController } from "./handlers/job-controller.js";
import { jobRpcs } from "./handlers/job-rpcs.js";
import { listTables } from "./handlers/list-tables.js";
import { queryHandler } from "./handlers/query.js";
import { countEvents, countUniqueUsers, funnel } from "./handlers/structured.js";
import { paths, retention, stickiness, trends } from "./handlers/analytics.js";
import { ComputeMetrics } from "./metrics.js";
import { GuardPool } from "./store/guard-pool.js";
import { JobStore } from "./store/job-store.js";
import { TenantSessions } from "./store/tenant-sessions.js";
import { registryTypedViews } from "./store/typed-views.js";

/**
 * Starts the compute gateway: the ComputeService over gRPC (health, reflection), /metrics, tenant sessions on
 * the SQL Gateway, jobs in PostgreSQL. It takes only a parsed config (`parseConfig`, or `configOf` for settings in code).
 */
export async function startComputeGateway(config: ComputeGatewayConfig, logger: Logger): Promise<RunningService> {
  // Read before anything starts: a bad TLS setting fails the start with nothing to clean up.
  const tls = serverTlsOf(config);
  const kafkaOptions = flinkKafkaOptions(kafkaSecurityOf(config));
  const guard = new GuardPool(config.TRACKWAY_COMPUTE_PARSE_WORKERS, config.TRACKWAY_COMPUTE_PARSE_TIMEOUT);
  // The grammar's first parse costs about 1.5 s: pay it now rather than in the first caller's query.
  await guard.warmUp();

  const pool = createPool(config.DATABASE_URL, { max: config.TRACKWAY_COMPUTE_DB_POOL, applicationName: "trackway-compute", onIdleError: (e) => logger.warn("postgres connection lost", { err: e.message }) });
  const closers: (() => Promise<void> | void)[] = [() => pool.end(), () => guard.close()];
  try {
    if (config.TRACKWAY_COMPUTE_MIGRATE) await migrate(pool, defaultMigrationsDir, { log: (line) => logger.info("migration", { line }) });
    const warehouse = await loadWarehouse(config.TRACKWAY_JOBS_DIR, { kafkaOptions });
    const gateway = new SqlGatewayClient({ baseUrl: config.TRACKWAY_SQL_GATEWAY_URL, pollIntervalMs: 50 });
    const flink = new FlinkRestClient({ baseUrl: config.TRACKWAY_FLINK_REST_URL });
    const typedViews = config.TRACKWAY_REGISTRY_ADDRESS
      ? registryTypedViews(config.TRACKWAY_REGISTRY_ADDRESS, config.TRACKWAY_REGISTRY_ENVELOPE_SUBJECT, logger.child("registry"), config.TRACKWAY_REGISTRY_API_KEY, grpcClientCredentials(config.TRACKWAY_REGISTRY_TLS_CA, "TRACKWAY_REGISTRY_TLS_CA"))
      : undefined;
    if (typedViews) closers.push(() => typedViews.close());
    const sessions = new TenantSessions({
      client: gateway,
      warehouse,
      hudiBasePath: config.TRACKWAY_HUDI_BASE_PATH,
      typedViews,
      logger: logger.child("sessions"),
      idleMs: config.TRACKWAY_COMPUTE_SESSION_IDLE,
      heartbeatMs: 60_000,
    });
    closers.unshift(() => sessions.close());

    const keys = new CachedApiKeys(new ApiKeyStore(pool), { ttlMs: config.TRACKWAY_COMPUTE_KEY_CACHE_TTL, maxEntries: 10_000 });
    const keyChanges = followKeyChanges(config.DATABASE_URL, keys, logger.child("auth"));
    closers.unshift(() => keyChanges.close());
    const principal = authenticator(keys, logger.child("auth"));
    const auth = queryAuthenticator(principal);
    const operator = operatorAuthenticator(principal);
    const jobs = new JobController({
      store: new JobStore(pool),
      flink,
      gateway,
      warehouse,
      defaults: {
        hudi_base_path: config.TRACKWAY_HUDI_BASE_PATH,
        kafka_brokers: config.TRACKWAY_KAFKA_BROKERS.join(","),
        checkpoint_interval: config.TRACKWAY_CHECKPOINT_INTERVAL,
      },
      savepointDir: config.TRACKWAY_SAVEPOINT_DIR,
      savepointTimeoutMs: config.TRACKWAY_SAVEPOINT_TIMEOUT,
      logger: logger.child("jobs"),
    });

    const serviceMetrics = new ServiceMetrics("compute-gateway");
    const metrics = new ComputeMetrics(serviceMetrics.registry);
    const deps = {
      sessions,
      flink,
      auth,
      metrics,
      timeoutMs: config.TRACKWAY_COMPUTE_QUERY_TIMEOUT,
      limiter: new TenantLimiter(config.TRACKWAY_COMPUTE_TENANT_MAX_QUERIES, {
        sharedMax: config.TRACKWAY_COMPUTE_TENANT_SHARED_QUERIES,
        windowMs: config.TRACKWAY_COMPUTE_CONTENTION_WINDOW,
      }),
      parallelism: config.TRACKWAY_COMPUTE_QUERY_PARALLELISM,
      reservedSlots: config.TRACKWAY_COMPUTE_RESERVED_SLOTS,
      queue: { maxWaitMs: config.TRACKWAY_COMPUTE_QUEUE_WAIT, maxWaiting: config.TRACKWAY_COMPUTE_TENANT_QUEUE },
      slots: new SlotGate(flink, {
        parallelism: config.TRACKWAY_COMPUTE_QUERY_PARALLELISM,
        reserve: config.TRACKWAY_COMPUTE_JOB_SLOT_RESERVE,
        maxWaitMs: config.TRACKWAY_COMPUTE_SLOT_WAIT,
        logger: logger.child("slots"),
      }),
    };
    const limits = {
      defaultMaxRows: config.TRACKWAY_COMPUTE_DEFAULT_MAX_ROWS,
      maxRows: config.TRACKWAY_COMPUTE_MAX_ROWS,
      defaultTimeoutMs: config.TRACKWAY_COMPUTE_QUERY_TIMEOUT,
      maxTimeoutMs: config.TRACKWAY_COMPUTE_MAX_QUERY_TIMEOUT,
      maxStatementBytes: config.TRACKWAY_COMPUTE_MAX_STATEMENT_BYTES,
      complexity: {
        maxOperators: config.TRACKWAY_COMPUTE_MAX_OPERATORS,
        maxListItems: config.TRACKWAY_COMPUTE_MAX_LIST_ITEMS,
        maxNesting: config.TRACKWAY_COMPUTE_MAX_NESTING,
      },
    };
    const rpcs = jobRpcs(jobs, operator);
    const implementation = {
      query: serverStreaming(queryHandler({ ...deps, guard, limits, logger: logger.child("query") }), logger),
      countEvents: unary(countEvents(deps), logger),
      countUniqueUsers: unary(countUniqueUsers(deps), logger),
      funnel: unary(funnel(deps), logger),
      trends: unary(trends(deps), logger),
      retention: unary(retention(deps), logger),
      paths: unary(paths(deps), logger),
      stickiness: unary(stickiness(deps), logger),
      listTables: unary(listTables(deps), logger),
      createJob: unary(rpcs.createJob, logger),
      startJob: unary(rpcs.startJob, logger),
      getJob: unary(rpcs.getJob, logger),
      listJobs: unary(rpcs.listJobs, logger),
      stopJob: unary(rpcs.stopJob, logger),
      resumeJob: unary(rpcs.resumeJob, logger),
      cancelJob: unary(rpcs.cancelJob, logger),
      switchJobMode: unary(rpcs.switchJobMode, logger),
      checkAgainstData: serverStreaming(checkAgainstData(deps), logger),
    };

    const service = await startService({
      name: "compute-gateway",
      host: config.TRACKWAY_COMPUTE_HOST,
      port: config.TRACKWAY_COMPUTE_PORT,
      metricsPort: config.TRACKWAY_COMPUTE_METRICS_PORT,
      metricsHost: config.TRACKWAY_COMPUTE_METRICS_HOST,
      tls,
      metrics: serviceMetrics,
      services: [{ definition: ComputeServiceService, implementation }],
      descriptors: [file_trackway_compute_v1_compute],
      logger,
      onStop: async () => {
        for (const close of closers) await Promise.resolve(close()).catch((e: unknown) => logger.warn("close failed", { err: String(e) }));
      },
    });
    return { ...service, stop: (graceMs = config.TRACKWAY_COMPUTE_SHUTDOWN_GRACE) => service.stop(graceMs) };
  } catch (e) {
    for (const close of closers) await Promise.resolve(close()).catch(() => undefined);
    throw e;
  }
}
