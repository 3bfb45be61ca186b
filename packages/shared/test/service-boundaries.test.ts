import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Each service owns its code, its workflows included; services meet only
 * through federation and Temporal, by names and payloads in
 * @omurga/shared/contracts. So no service source imports another service, the
 * worker package, or another service's files by relative path.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const SERVICES = ['accounts', 'billing', 'consent', 'support'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function importSpecifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s+'([^']+)'/g)].map((match) => match[1]!);
}

describe('service boundaries', () => {
  for (const service of SERVICES) {
    it(`${service} imports no other service and not the worker package`, () => {
      const serviceRoot = path.join(ROOT, 'services', service);
      const offending: string[] = [];
      for (const file of sourceFiles(path.join(serviceRoot, 'src'))) {
        for (const specifier of importSpecifiers(file)) {
          const otherPackage = /^@omurga\/(workflows|accounts|billing|consent|support)(\/|$)/.exec(specifier);
          const escapes = specifier.startsWith('.') && !path.resolve(path.dirname(file), specifier).startsWith(serviceRoot + path.sep);
          if (otherPackage || escapes) offending.push(`${path.relative(ROOT, file)} → ${specifier}`);
        }
      }
      expect(offending).toEqual([]);
    });
  }

  it('the worker package holds only the shared worker (and its bundle: build, shared libraries, memory measure), e-mail sending and the test harness', () => {
    const files = sourceFiles(path.join(ROOT, 'workflows/src')).map((file) => path.relative(path.join(ROOT, 'workflows/src'), file)).sort();
    expect(files).toEqual([
      'activities/mail.ts',
      'build-workflow-bundle.ts',
      'codec-endpoint.ts',
      'shared-libraries.ts',
      'testing/recording-activities.ts',
      'testing/time-skipping.ts',
      'worker.ts',
      'workflow-bundle.ts',
      'workflow-memory.ts',
      'workflows/index.ts',
      'workflows/send-email.ts',
    ]);
  });

  it('every service keeps its workflows in its own src/workflows', () => {
    const bundle = readFileSync(path.join(ROOT, 'workflows/src/workflows/index.ts'), 'utf8');
    for (const service of SERVICES) expect(bundle).toContain(`@omurga/${service}/workflows`);
  });
});
