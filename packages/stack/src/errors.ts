/** Base of every error the stack manager throws: a stable UPPER_SNAKE `reason` and a message saying what to do next. */
export class StackError extends Error {
  override name = "StackError";
  constructor(
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether a value is a StackError (also across package copies). */
export function isStackError(e: unknown): e is StackError {
  return e instanceof StackError || (e instanceof Error && e.name === "StackError" && "reason" in e);
}

/** Thrown when an environment variable of the stack has a bad value. */
export const configInvalid = (lines: string[]) =>
  new StackError("CONFIG_INVALID", `invalid stack config:\n${lines.join("\n")}`);

/** Thrown when no usable Java is found. */
export const javaMissing = (detail: string) =>
  new StackError(
    "JAVA_MISSING",
    `${detail}. The stack runs Kafka and Flink on Java 17: install a JDK 17 (apt-get install openjdk-17-jdk-headless) or set TRACKWAY_JAVA_HOME to one.`,
  );

/** Thrown when `mvn` is not installed. */
export const mavenMissing = (cause?: unknown) =>
  new StackError(
    "MAVEN_MISSING",
    "Maven (mvn) was not found on PATH. Install Maven 3.8+ (apt-get install maven) or set TRACKWAY_MVN to its path.",
    { cause },
  );

/** Thrown when Maven cannot reach its repository or cannot resolve an artifact. */
export const mavenFailed = (unreachable: boolean, logFile: string, tail: string) =>
  new StackError(
    unreachable ? "MAVEN_UNREACHABLE" : "MAVEN_FAILED",
    unreachable
      ? `Maven could not reach Maven Central to download the stack's jars; check the network or the mirror in ~/.m2/settings.xml, then run up again. Log: ${logFile}\n${tail}`
      : `Maven failed to resolve the stack's jars (see ${logFile}):\n${tail}`,
  );

/** Thrown when the disk holding the state dir is too full to start the stack. */
export const diskFull = (dir: string, freeMiB: number, needMiB: number) =>
  new StackError(
    "DISK_FULL",
    `only ${freeMiB} MiB free under ${dir}; the stack needs at least ${needMiB} MiB. Free some space or point TRACKWAY_STATE_DIR at a bigger disk.`,
  );

/** Thrown as root when the `postgres` OS user cannot reach the PostgreSQL binaries or data (a clone under /root). */
export const postgresUnreachable = (dir: string) =>
  new StackError(
    "POSTGRES_UNREACHABLE",
    `PostgreSQL must run as the postgres user, who cannot enter ${dir} (a parent directory is closed to other users, as /root is). ` +
      "Clone the repository under a directory others may enter (e.g. /work or /opt), or set DATABASE_URL to a PostgreSQL server of yours.",
  );

/** Thrown when a port the stack needs is taken by a process that is not ours. */
export const portInUse = (part: string, host: string, port: number, envVar: string, otherStacks: string[] = []) =>
  new StackError(
    "PORT_IN_USE",
    `port ${port} on ${host} (${part}) is already in use by another process; stop it or set ${envVar} to a free port.` +
      (otherStacks.length
        ? ` A Trackway stack of another state dir is running (${otherStacks.join(", ")}): stop it with TRACKWAY_STATE_DIR=<that dir> npm run stack -- down.`
        : ""),
  );

/** Thrown when a process of the stack exited while starting or was found dead. */
export const processDied = (part: string, logFiles: string, tail: string) =>
  new StackError("PROCESS_DIED", `${part} exited; see ${logFiles}. Last lines:\n${tail}`);

/** Thrown when a part did not become healthy in time. */
export const healthTimeout = (part: string, seconds: number, lastError: string, logFile?: string) =>
  new StackError(
    "HEALTH_TIMEOUT",
    `${part} was not healthy after ${seconds}s (${lastError})${logFile ? `; see ${logFile}` : ""}.`,
  );

/** Thrown when another `up` holds the stack lock for too long. */
export const lockTimeout = (lockDir: string, holder: string) =>
  new StackError(
    "LOCK_TIMEOUT",
    `another stack command (pid ${holder}) is still running; wait for it or remove ${lockDir} if it is gone.`,
  );
