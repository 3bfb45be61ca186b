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

/**
 * A child process that cannot outlive the supervisor: it runs in its own
 * process group (so Ctrl-C reaches the supervisor, which stops everything in
 * order) and, where util-linux's setpriv exists, with a parent-death signal,
 * so even a SIGKILLed supervisor leaves nothing behind.
 */
export class ManagedProcess {
  readonly spec: ProcessSpec;
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  private stopping = false;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  start(output: Output, onUnexpectedExit: (name: string, code: number | null) => void): void {
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
    output.attach(this.spec.name, child);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.stopping) onUnexpectedExit(this.spec.name, code ?? (signal ? 128 : null));
        resolve(code);
      });
      child.once('error', () => resolve(null));
    });
  }

  async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + (this.spec.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (this.child?.exitCode != null) throw new Error(`${this.spec.name} exited with code ${this.child.exitCode} while starting`);
      if (await this.spec.ready().catch(() => false)) return;
      await sleep(200);
    }
    throw new Error(`${this.spec.name} was not ready within ${(this.spec.readyTimeoutMs ?? 60_000) / 1000}s`);
  }

  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode != null || child.signalCode != null) return;
    this.stopping = true;
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
