// Issue 13: a crashed process is restarted with backoff and the start output
// says so, while the gateway keeps answering what the other subgraphs serve
// and gives partial data with SUBGRAPH_UNAVAILABLE for what the dead one serves.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { portBlock } from '../../scripts/stack/stack.ts';
import { errorCodes, graphql } from '../support/graphql.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A block of its own beside the suite's stack (which starts at OMURGA_E2E_PORT_BASE).
const PORT_BASE = Number(process.env.OMURGA_E2E_PORT_BASE ?? 24_000) + 100;

function childWithScript(parentPid: number, script: string): number {
  const lines = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(parentPid)], { encoding: 'utf8' }).split('\n');
  const line = lines.find((l) => l.includes(script));
  if (!line) throw new Error(`no child runs ${script}:\n${lines.join('\n')}`);
  return Number(line.trim().split(/\s+/)[0]);
}

async function waitFor(output: () => string, text: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`"${text}" did not appear:\n${output().slice(-3000)}`);
    await sleep(50);
  }
}

const PLANS_AND_TICKET = '{ plans { code } ticket(id: "000000000000000000000000") { id } }';

describe('./platform start self-healing', () => {
  it('restarts a SIGKILLed subgraph with backoff while the gateway serves the others', { timeout: 150_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'omurga-self-healing-'));
    const child = spawn(process.execPath, ['scripts/stack/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, OMURGA_DATA_DIR: dataDir, OMURGA_PORT_BASE: String(PORT_BASE), MONGODB_URI: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const output = () => text;
    const gateway = `http://127.0.0.1:${portBlock(PORT_BASE).gateway}/graphql`;
    try {
      await waitFor(output, 'The platform is up', 100_000);
      expect((await graphql(gateway, PLANS_AND_TICKET)).data?.plans?.length).toBeGreaterThan(0);

      process.kill(childWithScript(child.pid!, 'services/support/src/main.ts'), 'SIGKILL');
      await waitFor(output, 'support exited (signal SIGKILL); restarting in 1s (attempt 2)', 5_000);

      // While support is down: billing alone answers in full ...
      const plansOnly = await graphql(gateway, '{ plans { code } }');
      expect(plansOnly.status).toBe(200);
      expect(plansOnly.errors).toBeUndefined();
      // ... and a query touching support gets billing's part plus a coded error for support's.
      const partial = await graphql(gateway, PLANS_AND_TICKET);
      expect(partial.status).toBe(200);
      expect(partial.data?.plans?.length).toBeGreaterThan(0);
      expect(partial.data?.ticket).toBeNull();
      expect(partial.errors?.map((e) => [e.extensions?.code, e.extensions?.service])).toEqual([['SUBGRAPH_UNAVAILABLE', 'support']]);

      await waitFor(output, 'support is serving again (attempt 2)', 60_000);
      const healed = await graphql(gateway, PLANS_AND_TICKET);
      expect(healed.data?.plans?.length).toBeGreaterThan(0);
      expect(errorCodes(healed)).not.toContain('SUBGRAPH_UNAVAILABLE');
      // Nothing else went down with it.
      expect(output()).not.toMatch(/(accounts|billing|consent|worker|gateway|temporal|postgres|ferretdb|mail) exited/);
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
