// A benchmark's own stack: the platform's stack machinery on
// OMURGA_BENCH_PORT_BASE with a fresh data directory, and the CPU time and
// peak memory of each of its processes read from /proc.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileOutput } from '../../scripts/stack/processes.ts';
import { portBlock, startStack, type RunningStack } from '../../scripts/stack/stack.ts';

export const BENCH_OPERATOR = { email: 'bench-operator@omurga.local', password: 'Bench-Operator-Password-1' };

export interface BenchStack {
  stack: RunningStack;
  gatewayUrl: string;
  mailCatcherUrl: string;
  logDir: string;
  /** CPU-seconds and peak RSS of every process of the stack, with what it started */
  usage(): ProcessUsage[];
  stop(): Promise<void>;
}

export async function startBenchStack(extraEnv: Record<string, string> = {}): Promise<BenchStack> {
  const ports = portBlock(Number(process.env.OMURGA_BENCH_PORT_BASE ?? 24_500));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omurga-bench-'));
  const logDir = path.join(dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const exits: string[] = [];
  const stack = await startStack({
    ports,
    dataDir,
    output: fileOutput(logDir),
    mongodbUri: process.env.MONGODB_URI,
    extraEnv: { BOOTSTRAP_OPERATOR_EMAIL: BENCH_OPERATOR.email, BOOTSTRAP_OPERATOR_PASSWORD: BENCH_OPERATOR.password, LOG_LEVEL: 'warn', ...extraEnv },
    supervision: { onUnexpectedExit: ({ name, reason }) => exits.push(`${name} (${reason})`) },
  }).catch((error: unknown) => {
    console.error(`the bench stack did not start; logs in ${logDir}`);
    throw error;
  });
  // Ctrl-C (or the orchestrator stopping) takes the stack down with the bench.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  return {
    stack,
    gatewayUrl: stack.urls.gateway,
    mailCatcherUrl: stack.urls.mailCatcher,
    logDir,
    usage: () => stack.processes.flatMap((p) => (p.pid ? [groupUsage(p.spec.name, p.pid)] : [])),
    async stop() {
      await stack.stop();
      if (exits.length) console.error(`processes that crashed during the bench (and were restarted): ${exits.join(', ')}; logs in ${logDir}`);
      else rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ProcessUsage {
  name: string;
  /** user + system CPU of the process group (the process and what it started), seconds */
  cpuSeconds: number;
  /** the largest peak resident set (VmHWM) in the group, MiB */
  peakRssMiB: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * CPU and peak RSS of the process `leader` and every live process under it:
 * its process group, and descendants that left the group (PostgreSQL's
 * backends each call setsid, so a group-only count misses all of them).
 */
export function groupUsage(name: string, leader: number): ProcessUsage {
  const processes = new Map<number, { ppid: number; pgrp: number; ticks: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name (which may hold spaces): ppid is field 4, pgrp 5, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(entry), { ppid: Number(fields[1]), pgrp: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  const belongs = (pid: number): boolean => {
    for (let current = processes.get(pid), hops = 0; current && hops < 64; current = processes.get(current.ppid), hops++) {
      if (current.pgrp === leader) return true;
    }
    return false;
  };
  let ticks = 0;
  let peakKiB = 0;
  for (const [pid, process] of processes) {
    if (!belongs(pid)) continue;
    ticks += process.ticks;
    const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, 'utf8') : '';
    peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
  }
  return { name, cpuSeconds: ticks / CLOCK_TICKS, peakRssMiB: peakKiB / 1024 };
}

/** usage(after) − usage(before) per process: CPU spent in between, and the peak RSS at the end. */
export function usageBetween(before: ProcessUsage[], after: ProcessUsage[]): ProcessUsage[] {
  return after.map((a) => ({ ...a, cpuSeconds: a.cpuSeconds - (before.find((b) => b.name === a.name)?.cpuSeconds ?? 0) }));
}
