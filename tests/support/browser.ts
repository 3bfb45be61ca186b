import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (./platform test installs it), driven by playwright-core. */
function chromiumPath(): string {
  if (process.env.OMURGA_CHROMIUM_BIN) return process.env.OMURGA_CHROMIUM_BIN;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [name], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('Chromium is not installed: ./platform test installs it (apt-get install chromium)');
}

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: the suite may run as root (CI containers), where Chromium refuses its sandbox.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export function newContext(browser: Browser, locale: 'tr-TR' | 'en-US' = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core on the page as it is now: no serious or critical WCAG 2.x A/AA violation. */
export async function expectAccessible(page: Page, label = page.url()): Promise<void> {
  // Colours are judged at rest, not halfway through a hover or enable transition.
  await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; animation: none !important; }' });
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  })) as AxeViolation[];
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => `${n.target.join(' ')} [${n.failureSummary?.replace(/\s+/g, ' ').slice(0, 160)}]`).slice(0, 3).join(', ')}`), `accessibility of ${label}`).toEqual([]);
}

/** Waits until the page's main heading reads `name`. */
export async function expectHeading(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15_000 });
}
