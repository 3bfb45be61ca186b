import { describe, expect, it } from 'vitest';
import { localeFromAcceptLanguage } from '../src/locale.ts';

describe('localeFromAcceptLanguage', () => {
  it.each([
    [undefined, 'tr'],
    ['', 'tr'],
    ['en', 'en'],
    ['en-GB,en;q=0.9', 'en'],
    ['de-DE,de;q=0.9,en;q=0.5', 'en'],
    ['fr, tr;q=0.4, en;q=0.3', 'tr'],
    ['en;q=0, tr', 'tr'],
    ['de', 'tr'],
  ])('%s -> %s', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });
});
