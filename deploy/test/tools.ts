import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DEPLOY = path.join(ROOT, 'deploy');

/** A checker binary that ./platform test builds and caches (scripts/lib/toolchain.sh). */
export function tool(variable: 'OMURGA_HELM_BIN' | 'OMURGA_COMPOSE_CHECK_BIN'): string {
  const bin = process.env[variable];
  if (!bin) throw new Error(`${variable} is not set: run the tests through ./platform test, which builds it`);
  return bin;
}

/** Runs a checker; its exit status and error output on failure. */
export function run(bin: string, args: string[], env: NodeJS.ProcessEnv = {}): { ok: boolean; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(bin, args, { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, stdout, stderr: '' };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
