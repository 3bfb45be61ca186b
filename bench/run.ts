// `./platform bench [--quick] [name…]`: every bench/*.bench.ts in name order,
// each as a child process on its own stack (it boots one with
// scripts/stack/stack.ts on OMURGA_BENCH_PORT_BASE), printing its own table
// and, as its last stdout line, one JSON object of figures. This prints one
// combined table and, as its own last line, the merged JSON.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { formatTable, lastJsonLine } from './lib/report.ts';

const DIR = import.meta.dirname;
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((name) => f.startsWith(name)))
  .sort();
const portBase = Number(process.env.OMURGA_BENCH_PORT_BASE ?? 24_500);

/** Runs one bench file, echoing its output, and answers its figures (the last JSON line) or the reason it failed. */
function runBench(file: string): Promise<{ figures: Record<string, unknown> } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(DIR, file), ...(quick ? ['--quick'] : [])], {
      env: { ...process.env, OMURGA_BENCH_PORT_BASE: String(portBase) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      process.stdout.write(chunk);
    });
    child.once('error', (error) => resolve({ error: error.message }));
    child.once('exit', (code, signal) => {
      const figures = lastJsonLine(out);
      if (code === 0 && figures) resolve({ figures });
      else resolve({ error: signal ? `killed by ${signal}` : code !== 0 ? `exit code ${code}` : 'no JSON figures on its last line' });
    });
  });
}

const merged: Record<string, unknown> = {};
const rows: string[][] = [];
const failed: string[] = [];
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n=== bench ${name}${quick ? ' (quick)' : ''} ===`);
  const result = await runBench(file);
  if ('error' in result) {
    failed.push(`${name}: ${result.error}`);
    rows.push([name, '(failed)', result.error]);
    continue;
  }
  for (const [key, value] of Object.entries(result.figures)) {
    merged[key] = value;
    rows.push([name, key, typeof value === 'object' ? JSON.stringify(value) : String(value)]);
  }
}
if (quick) merged.quick = true;
if (failed.length) merged.failed = failed;
console.log('\n=== all benchmarks ===');
console.log(formatTable(['bench', 'figure', 'value'], rows));
console.log(JSON.stringify(merged));
process.exitCode = failed.length || !files.length ? 1 : 0;
