// The heap a cached workflow costs the workflow worker (issue 16), side by
// side: the bundle the worker runs (zod and luxon preloaded once, no
// OpenTelemetry interceptors unless it traces), the traced bundle, and the
// bundle as it was before (every library evaluated again per workflow,
// interceptors always in). The worker's sticky cache, and so how many live
// subscriptions it keeps without replaying their histories, is its heap
// divided by this. No stack needed. Prints a table, then one JSON line.
//
//   node bench/workflow-memory.bench.ts [--quick]
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleOptions } from '../workflows/src/workflow-bundle.ts';
import { measureCachedWorkflows, quietLogger as quiet } from '../workflows/src/workflow-memory.ts';
import { formatTable, round } from './lib/report.ts';

const count = process.argv.includes('--quick') ? 100 : 400;

const variants = {
  worker: bundleOptions({ traced: false }),
  traced: bundleOptions({ traced: true }),
  before: { ...bundleOptions({ traced: true }), preloadModules: [] },
};
const kb: Record<string, number> = {};
const createMs: Record<string, number> = {};
for (const [name, options] of Object.entries(variants)) {
  const { code } = await bundleWorkflowCode({ ...options, logger: quiet });
  const started = performance.now();
  kb[name] = (await measureCachedWorkflows(code, 'subscriptionWorkflow', count)).heapPerWorkflowKb;
  createMs[name] = (performance.now() - started) / count;
}
console.log(
  formatTable(
    ['bundle', 'heap per cached workflow (KiB)', 'create, ms per workflow', 'vs before'],
    Object.keys(variants).map((name) => [name, String(round(kb[name]!)), String(round(createMs[name]!, 2)), `${round(kb.before! / kb[name]!, 2)}x less`]),
  ),
);
console.log(
  JSON.stringify({
    workflowHeapKb: round(kb.worker!),
    workflowHeapKbTraced: round(kb.traced!),
    workflowHeapKbBefore: round(kb.before!),
    workflowHeapReduction: round(kb.before! / kb.worker!, 2),
  }),
);
