import { describe, expect, it } from 'vitest';
import { abusiveWordMatcher, loadAbusiveWords, normalizeText } from '../../src/abuse.ts';

describe('abusive-language matching (SUP-5)', () => {
  const match = abusiveWordMatcher({ tr: ['aptal', 'şerefsiz', 'geri zekalı'], en: ['idiot', 'go to hell'] });

  it('folds Turkish case and diacritics: İ/ı/Ş/ş and friends', () => {
    expect(normalizeText('ŞEREFSİZ')).toBe('serefsiz');
    expect(normalizeText('IĞDIR İSTANBUL')).toBe('igdir istanbul');
    expect(normalizeText('Çok   güzel!!')).toBe('cok guzel');
  });

  it('finds listed words whatever their case or accents', () => {
    expect(match('Siz APTAL mısınız?')).toEqual(['aptal']);
    expect(match('serefsiz herifler')).toEqual(['serefsiz']);
    expect(match('ŞEREFSİZ')).toEqual(['serefsiz']);
    expect(match('You IDIOT, go to hell!')).toEqual(['idiot', 'go to hell']);
  });

  it('matches phrases across punctuation and whole words only', () => {
    expect(match('Geri-zekalı mısın')).toEqual(['geri zekali']);
    expect(match('Bu aptallık değil, sorun idiotproof tasarımda')).toEqual([]);
    expect(match('Merhaba, sunucum açılmıyor.')).toEqual([]);
  });

  it('loads the shipped list with both languages', () => {
    const list = loadAbusiveWords();
    expect(list.tr.length).toBeGreaterThan(5);
    expect(list.en.length).toBeGreaterThan(5);
    expect(abusiveWordMatcher(list)('Seni gerizekalı!')).toEqual(['gerizekali']);
  });
});
