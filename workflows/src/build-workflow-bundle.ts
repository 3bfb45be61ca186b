// `pnpm build:workflows [out-file]`: the worker's workflow code bundled ahead
// of time (the production image runs it with WORKFLOW_BUNDLE_PATH).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { DEFAULT_BUNDLE_PATH, bundleOptions } from './workflow-bundle.ts';

const out = path.resolve(process.argv[2] ?? DEFAULT_BUNDLE_PATH);
const { code } = await bundleWorkflowCode(bundleOptions());
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(`workflow bundle written to ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
