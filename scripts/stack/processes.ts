import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** resolves once the process serves what others need */
  ready: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface Output {
  /** where the process's stdout/stderr go: a file (tests) or the terminal with a prefix */
  attach(name: string, child: ChildProcess): void;
  close(): void;
}

const HAS_SETPRIV = spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;

/** What the supervisor reports when a process ends without being asked to. */
export interface UnexpectedExit {
  name: string;
  /** "code 1" or "signal SIGKILL" */
  reason: string;
  /** the run that starts after the delay (the first run is attempt 1) */
  attempt: number;
  restartInMs: number;
}

export interface Supervision {
  onUnexpectedExit(exit: UnexpectedExit): void;
  /** a restarted process serves again */
  onRecovered?(name: string, attempt: number): void;
}

const FIRST_RESTART_DELAY_MS = 1_000;
const LONGEST_RESTART_DELAY_MS = 30_000;
/** a run this long counts as healthy: the next crash starts the backoff from the beginning again */
const STABLE_RUN_MS = 60_000;

/** 1 s, 2 s, 4 s ... up to 30 s between restarts of a process that keeps crashing. */
export function restartDelayMs(crashesInARow: number): number {
  return Math.min(LONGEST_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** Math.max(0, crashesInARow - 1));
}

/**
 * A child process that cannot outlive the supervisor: it runs in its own
 * process group (so Ctrl-C reaches the supervisor, which stops everything in
 * order) and, where util-linux's setpriv exists, with a parent-death signal,
 * so even a SIGKILLed supervisor leaves nothing behind. Once started, a
 * process that exits on its own is started again with exponential backoff.
 */
export class ManagedProcess {
  readonly spec: ProcessSpec;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private stopping = false;
  private attempt = 0;
  private crashesInARow = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  /** set once the first start was ready: a crash while starting fails the start instead */
  private supervised = false;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  start(output: Output, supervision: Supervision): void {
    this.attempt += 1;
    const [command, args] = HAS_SETPRIV
      ? ['setpriv', ['--pdeathsig', 'KILL', '--', this.spec.command, ...this.spec.args]]
      : [this.spec.command, this.spec.args];
    const child = spawn(command, args, {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    const startedAt = Date.now();
    output.attach(this.spec.name, child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve(code);
        if (this.stopping || !this.supervised) return;
        this.crashesInARow = Date.now() - startedAt >= STABLE_RUN_MS ? 1 : this.crashesInARow + 1;
        const restartInMs = restartDelayMs(this.crashesInARow);
        supervision.onUnexpectedExit({
          name: this.spec.name,
          reason: signal ? `signal ${signal}` : `code ${code}`,
          attempt: this.attempt + 1,
          restartInMs,
        });
        this.restartTimer = setTimeout(() => this.restart(output, supervision), restartInMs);
      });
      child.once('error', () => resolve(null));
    });
  }

  private restart(output: Output, supervision: Supervision) {
    this.restartTimer = undefined;
    if (this.stopping) return;
    this.start(output, supervision);
    const attempt = this.attempt;
    // A failed start shows up as another exit, which schedules the next attempt.
    this.waitUntilReady().then(
      () => {
        if (!this.stopping && attempt === this.attempt) supervision.onRecovered?.(this.spec.name, attempt);
      },
      () => undefined,
    );
  }

  async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      const child = this.child;
      if (child?.exitCode != null || child?.signalCode != null) throw new Error(`${this.spec.name} exited with ${child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`} while starting`);
      if (await this.spec.ready().catch(() => false)) {
        this.supervised = true;
        return;
      }
      await sleep(200);
    }
    throw new Error(`${this.spec.name} was not ready within ${(this.spec.readyTimeoutMs ?? 60_000) / 1000}s`);
  }

  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child?.pid || child.exitCode != null || child.signalCode != null) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    signalGroup('SIGTERM');
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    signalGroup('SIGKILL'); // anything the process itself left in its group
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }
}

export function tcpReady(host: string, port: number): () => Promise<boolean> {
  return () =>
    new Promise((resolve) => {
      const socket = net.connect({ host, port });
      socket.setTimeout(1_000);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => {
        socket.destroy();
        resolve(false);
      });
    });
}

export function httpReady(url: string): () => Promise<boolean> {
  return async () => {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  };
}

/** Each process's output to its own log file. */
export function fileOutput(dir: string): Output {
  const streams: WriteStream[] = [];
  return {
    attach(name, child) {
      const stream = createWriteStream(`${dir}/${name}.log`, { flags: 'a' });
      streams.push(stream);
      child.stdout?.pipe(stream, { end: false });
      child.stderr?.pipe(stream, { end: false });
    },
    close: () => streams.forEach((s) => s.end()),
  };
}

const COLORS = [36, 33, 35, 32, 34, 31, 96, 93, 95, 92];

/** Output to the terminal, each line prefixed with the process name; `quiet` ones go to files only. */
export function terminalOutput(dir: string, quiet: ReadonlySet<string>): Output {
  const files = fileOutput(dir);
  let index = 0;
  return {
    attach(name, child) {
      files.attach(name, child);
      if (quiet.has(name)) return;
      const prefix = `\x1b[${COLORS[index++ % COLORS.length]}m${name.padEnd(10)}\x1b[0m| `;
      for (const stream of [child.stdout, child.stderr]) {
        let pending = '';
        stream?.on('data', (chunk: Buffer) => {
          const lines = (pending + chunk.toString('utf8')).split('\n');
          pending = lines.pop() ?? '';
          for (const line of lines) process.stdout.write(prefix + line + '\n');
        });
      }
    },
    close: files.close,
  };
}
