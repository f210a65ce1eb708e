/** Where the stack manager reports what it does; `quiet` drops everything. */
export interface Progress {
  /** A plain line. */
  info(line: string): void;
  /** Runs a long step, showing it while it runs and printing how long it took. */
  step<T>(label: string, run: () => Promise<T>, done?: (value: T) => string): Promise<T>;
}

const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** Seconds since `start`, one decimal. */
export const since = (start: number) => `${((performance.now() - start) / 1000).toFixed(1)}s`;

/**
 * Progress on a stream: on a TTY one line per running step that ticks its elapsed time, otherwise plain
 * lines at start and end (logs and CI stay readable). Steps may run concurrently.
 */
export function streamProgress(out: NodeJS.WriteStream = process.stdout): Progress {
  const tty = Boolean(out.isTTY);
  const running = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let frame = 0;
  const draw = () => {
    const parts = [...running].map(([label, start]) => `${label} ${since(start)}`);
    out.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${parts.join(" · ")}`);
  };
  const clear = () => tty && out.write("\r\x1b[2K");
  const print = (line: string) => {
    clear();
    out.write(`${line}\n`);
    if (tty && running.size > 0) draw();
  };
  return {
    info: print,
    async step(label, run, done) {
      const start = performance.now();
      running.set(label, start);
      if (tty) timer ??= setInterval(draw, 100);
      else print(`${label} …`);
      try {
        const value = await run();
        running.delete(label);
        print(`✓ ${label}${done ? `: ${done(value)}` : ""} (${since(start)})`);
        return value;
      } catch (e) {
        running.delete(label);
        print(`✗ ${label} failed after ${since(start)}`);
        throw e;
      } finally {
        if (running.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
          clear();
        }
      }
    },
  };
}

/** Progress that reports nothing (for tests and library callers). */
export const quietProgress: Progress = { info: () => {}, step: (_label, run) => run() };
