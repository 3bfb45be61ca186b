// Issue 13: the production image's Dockerfile is valid, multi-stage, runs as
// a non-root user and ships the prebuilt workflow bundle.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { DEPLOY, ROOT } from './tools.ts';

const text = readFileSync(path.join(DEPLOY, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);
// `args`: everything after the keyword, flags included (--from, --chown).
const instructions = dockerfile.getInstructions().map((i) => ({ keyword: i.getKeyword(), args: i.getTextContent().replace(/^\s*\S+\s+/, '') }));
const stages = dockerfile.getFROMs();

describe('deploy/Dockerfile', () => {
  it('has no syntax or instruction errors', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('builds in one stage and runs from a second, slim one as a non-root user', () => {
    expect(stages.map((s) => s.getBuildStage())).toEqual(['build', 'runtime']);
    const runtime = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));
    const users = runtime.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users).toEqual(['node']);
    expect(runtime.some((i) => i.keyword === 'COPY' && i.args.includes('--from=build'))).toBe(true);
    expect(runtime.some((i) => i.keyword === 'RUN')).toBe(false); // nothing is installed into the final image
  });

  it('bundles the workflows at build time and points the worker at the bundle', () => {
    const build = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    expect(build).toMatch(/pnpm build:workflows \/app\/dist\/workflow-bundle\.js/);
    expect(text).toMatch(/WORKFLOW_BUNDLE_PATH=\/app\/dist\/workflow-bundle\.js/);
    expect(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts['build:workflows']).toBeDefined();
  });

  it('copies only files that exist, and pins the Node version of .node-version', () => {
    for (const copy of instructions.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from'))) {
      const sources = copy.args.split(/\s+/).filter((word) => !word.startsWith('--')).slice(0, -1);
      for (const source of sources) expect(existsSync(path.join(ROOT, source)), source).toBe(true);
    }
    expect(text).toContain(`ARG NODE_VERSION=${readFileSync(path.join(ROOT, '.node-version'), 'utf8').trim()}`);
  });
});
