export { TrackwayError, isTrackwayError, toStatus, reasonOf, REASON_TRAILER } from "./errors.js";
export { parseConfig, port, logLevel, csv, duration, flag, count, bytes } from "./config.js";
export { createLogger, silentLogger, type Logger, type LogFields } from "./logger.js";
export { ServiceMetrics, startMetricsServer, type MetricsServer } from "./metrics.js";
export { unary, serverStreaming } from "./handlers.js";
export { startGrpcServer, serviceName, type GrpcServerHandle, type GrpcServerOptions, type ServiceRegistration } from "./grpc-server.js";
export { onShutdownSignal } from "./shutdown.js";
export { startService, type ServiceOptions, type RunningService } from "./service.js";
export { checkHealth, listServices } from "./probe.js";
