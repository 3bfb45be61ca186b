import { describe, expect, it } from 'vitest';
import { withinInstallationWindow } from '../../src/tickets.ts';

describe('free installation window (SUP-6)', () => {
  const ordered = new Date('2026-03-01T09:00:00Z');
  const after = (ms: number) => new Date(ordered.getTime() + ms);
  const DAY = 86_400_000;

  it('accepts requests up to exactly 30 days after the order', () => {
    expect(withinInstallationWindow(ordered, ordered, 30)).toBe(true);
    expect(withinInstallationWindow(ordered, after(30 * DAY), 30)).toBe(true);
  });

  it('refuses them one moment later, before the order, or without an order time', () => {
    expect(withinInstallationWindow(ordered, after(30 * DAY + 1), 30)).toBe(false);
    expect(withinInstallationWindow(ordered, after(-1), 30)).toBe(false);
    expect(withinInstallationWindow(null, ordered, 30)).toBe(false);
  });
});
