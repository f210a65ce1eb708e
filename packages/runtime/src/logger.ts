import { pino, type Logger as Pino } from "pino";

/** Structured fields of a log entry. Never put payloads or secrets here. */
export type LogFields = Record<string, unknown>;

/** The logger every Trackway component uses: constant messages, data in fields. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose entries carry `component`. */
  child(component: string): Logger;
}

class PinoLogger implements Logger {
  constructor(private readonly p: Pino) {}
  debug(message: string, fields?: LogFields): void {
    this.p.debug(fields ?? {}, message);
  }
  info(message: string, fields?: LogFields): void {
    this.p.info(fields ?? {}, message);
  }
  warn(message: string, fields?: LogFields): void {
    this.p.warn(fields ?? {}, message);
  }
  error(message: string, fields?: LogFields): void {
    this.p.error(fields ?? {}, message);
  }
  child(component: string): Logger {
    return new PinoLogger(this.p.child({ component }));
  }
}

/** Creates a JSON logger for a service, writing one line per entry to stdout (or `destination`). */
export function createLogger(service: string, level = "info", destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime };
  return new PinoLogger(destination ? pino(options, destination) : pino(options));
}

/** A logger that drops everything, for tests. */
export const silentLogger: Logger = createLogger("test", "silent");
