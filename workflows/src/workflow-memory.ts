// What a cached workflow costs the worker in heap. The worker runs every
// workflow in one reusable V8 context; the bundle's preloaded modules are
// evaluated once for all of them, every other module the workflows import is
// evaluated again for each workflow it creates (and again when an evicted
// workflow is rebuilt). This creates workflows the way the worker does, with
// the SDK's own ReusableVMWorkflowCreator, for the bench and the bundle test.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

interface VmWorkflow {
  dispose(): Promise<void>;
}
interface VmWorkflowCreator {
  readonly context: { __TEMPORAL_ACTIVATOR__?: { moduleCache: Map<string, unknown> } };
  createWorkflow(options: unknown): Promise<VmWorkflow>;
  destroy(): Promise<void>;
}
interface VmWorkflowCreatorClass {
  create(bundle: { code: string; filename: string; sourceMap: unknown }, timeoutMs: number, activityNames: Set<string>): Promise<VmWorkflowCreator>;
}

const require = createRequire(import.meta.url);
// Not part of the SDK's public exports; resolved from the worker package's own directory.
const { ReusableVMWorkflowCreator } = require(path.join(path.dirname(require.resolve('@temporalio/worker')), 'workflow/reusable-vm.js')) as { ReusableVMWorkflowCreator: VmWorkflowCreatorClass };

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** The bundle's inline source map, which the SDK's creator needs (as the worker extracts it). */
function inlineSourceMap(code: string): unknown {
  const comment = code.lastIndexOf('//# sourceMappingURL=data:');
  const base64 = code.indexOf('base64,', comment);
  if (comment < 0 || base64 < 0) throw new Error('the workflow bundle has no inline source map');
  return JSON.parse(Buffer.from(code.slice(base64 + 'base64,'.length).trimEnd(), 'base64').toString('utf8'));
}

function workflowOptions(workflowType: string, i: number) {
  const runId = randomUUID();
  const now = new Date();
  return {
    info: {
      workflowId: `memory-${i}`, runId, workflowType, searchAttributes: {}, taskQueue: 'memory', namespace: 'default',
      firstExecutionRunId: runId, originalExecutionRunId: runId, startTime: now, runStartTime: now, taskTimeoutMs: 10_000,
      attempt: 1, historyLength: 1, historySize: 0, continueAsNewSuggested: false,
      unsafe: { now: () => Date.now(), isReplaying: false, isReplayingHistoryEvents: false, random: Math.random },
    },
    randomnessSeed: [1, 2, 3, 4],
    now: now.getTime(),
    showStackTraceSources: false,
  };
}

/** A logger for bundling quietly (webpack's report is noise in a measure). */
export const quietLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export interface CachedWorkflowsMeasure {
  /** Heap held per created workflow, in KiB. */
  heapPerWorkflowKb: number;
  /** The modules the last workflow evaluated for itself (webpack module ids). */
  ownModules: string[];
}

/** Creates `count` workflows of `workflowType` from the bundle's code in one reusable context and measures the heap they hold. */
export async function measureCachedWorkflows(code: string, workflowType: string, count: number): Promise<CachedWorkflowsMeasure> {
  const creator = await ReusableVMWorkflowCreator.create({ code, filename: 'workflow-bundle.js', sourceMap: inlineSourceMap(code) }, 10_000, new Set());
  try {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const workflows: VmWorkflow[] = [];
    for (let i = 0; i < count; i++) workflows.push(await creator.createWorkflow(workflowOptions(workflowType, i)));
    const ownModules = [...(creator.context.__TEMPORAL_ACTIVATOR__?.moduleCache.keys() ?? [])];
    collectGarbage();
    const heapPerWorkflowKb = (process.memoryUsage().heapUsed - before) / count / 1024;
    for (const workflow of workflows) await workflow.dispose();
    return { heapPerWorkflowKb, ownModules };
  } finally {
    await creator.destroy();
  }
}
