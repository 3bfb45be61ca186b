// Issue 2: stopping the start command leaves no process behind, whether it is
// stopped with Ctrl-C (SIGINT) or killed outright (SIGKILL).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Port blocks of their own beside the suite's stack (OMURGA_E2E_PORT_BASE), so two suites on one machine do not meet.
const E2E_BASE = Number(process.env.OMURGA_E2E_PORT_BASE ?? 24_000);

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function startPlatform(portBase: number) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'omurga-shutdown-'));
  const child = spawn(process.execPath, ['scripts/stack/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, OMURGA_DATA_DIR: dataDir, OMURGA_PORT_BASE: String(portBase), MONGODB_URI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 90_000;
  while (!output.includes('The platform is up')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`platform did not start:\n${output.slice(-2000)}`);
    await sleep(200);
  }
  // The supervisor's children are the platform's processes (each in its own process group).
  const processes = childrenOf(child.pid!);
  return { child, processes, dataDir, output: () => output };
}

async function waitUntilGone(pids: number[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(100);
  return pids.filter(alive);
}

describe('./platform start shutdown', () => {
  it('stops every process on Ctrl-C (SIGINT) and exits 0', { timeout: 120_000 }, async () => {
    const platform = await startPlatform(E2E_BASE + 300);
    expect(platform.processes.length).toBe(11); // postgres, ferretdb, temporal, mail, 4 subgraphs, worker, gateway, web
    platform.child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => platform.child.once('exit', resolve));
    expect(code).toBe(0);
    expect(await waitUntilGone(platform.processes, 5_000)).toEqual([]);
    expect(platform.output()).toContain('Stopped.');
    rmSync(platform.dataDir, { recursive: true, force: true });
  });

  it('leaves nothing behind even when the supervisor is SIGKILLed', { timeout: 120_000 }, async () => {
    const platform = await startPlatform(E2E_BASE + 400);
    expect(platform.processes.length).toBe(11);
    platform.child.kill('SIGKILL');
    expect(await waitUntilGone(platform.processes, 10_000)).toEqual([]);
    rmSync(platform.dataDir, { recursive: true, force: true });
  });
});
