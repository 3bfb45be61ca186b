// `pnpm build:workflows [out-file]`: the worker's workflow code bundled ahead
// of time (the production image runs it with WORKFLOW_BUNDLE_PATH; without an
// out-file it is workflows/dist/workflow-bundle.js, which the worker uses
// while its sources are unchanged).
import path from 'node:path';
import { DEFAULT_BUNDLE_PATH, buildWorkflowBundle } from './workflow-bundle.ts';

const out = path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
const code = await buildWorkflowBundle(out);
console.log(`workflow bundle written to ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
