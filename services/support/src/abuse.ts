import { readFileSync } from 'node:fs';

/**
 * Abusive-language detection (SUP-5): a customer message that contains a
 * listed word or phrase flags the ticket for an operator. Matching is on
 * whole words after Turkish-aware lower-casing and folding of diacritics, so
 * "APTAL", "Aptal" and "aptal" match, and "ŞEREFSİZ" matches "serefsiz".
 */

const FOLD: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', â: 'a', î: 'i', û: 'u' };

export function normalizeText(text: string): string {
  return text
    .toLocaleLowerCase('tr')
    .normalize('NFD')
    .replace(/\p{M}/gu, '') // combining marks left by NFD (e.g. İ → i + dot)
    .replace(/[çğıöşüâîû]/g, (ch) => FOLD[ch] ?? ch)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export interface AbusiveWordList {
  tr: string[];
  en: string[];
}

export function loadAbusiveWords(): AbusiveWordList {
  const raw = JSON.parse(readFileSync(new URL('./abusive-words.json', import.meta.url), 'utf8')) as AbusiveWordList;
  return { tr: raw.tr, en: raw.en };
}

/** Returns a matcher giving the listed terms found in a text (empty when clean). */
export function abusiveWordMatcher(list: AbusiveWordList): (text: string) => string[] {
  const terms = [...new Set([...list.tr, ...list.en].map(normalizeText).filter(Boolean))];
  return (text) => {
    const padded = ` ${normalizeText(text)} `;
    return terms.filter((term) => padded.includes(` ${term} `));
  };
}
