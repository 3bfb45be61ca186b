// Turkish and English. Texts are written in place as (tr, en) pairs, so a page
// reads as what it says; the locale follows the user's choice, else the browser.
import { createContext, useContext } from 'react';

export type Locale = 'tr' | 'en';
const KEY = 'omurga.locale';

export function currentLocale(): Locale {
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
  if (stored === 'tr' || stored === 'en') return stored;
  const browser = typeof navigator === 'undefined' ? 'tr' : navigator.language.toLowerCase();
  return browser.startsWith('en') ? 'en' : 'tr';
}

export function storeLocale(locale: Locale): void {
  localStorage.setItem(KEY, locale);
  document.documentElement.lang = locale;
}

export const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({ locale: 'tr', setLocale: () => {} });

export type Translate = (tr: string, en: string) => string;

export function useLocale() {
  return useContext(LocaleContext);
}

export function useT(): Translate {
  const { locale } = useContext(LocaleContext);
  return (tr, en) => (locale === 'en' ? en : tr);
}

const TIME_ZONE = 'Europe/Istanbul';

export function formatDateTime(locale: Locale, value: string | null | undefined): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'tr-TR', { dateStyle: 'medium', timeStyle: 'short', timeZone: TIME_ZONE }).format(new Date(value));
}

export function formatDate(locale: Locale, value: string | null | undefined): string {
  if (!value) return '—';
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'tr-TR', { dateStyle: 'medium', timeZone: TIME_ZONE }).format(new Date(value));
}

export function formatMoney(locale: Locale, money: { amountMinor: number; currency: string } | null | undefined): string {
  if (!money) return '—';
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'tr-TR', { style: 'currency', currency: money.currency }).format(money.amountMinor / 100);
}

export function formatMicros(locale: Locale, micros: number, currency: string): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'tr-TR', { style: 'currency', currency, maximumFractionDigits: 4 }).format(micros / 1_000_000);
}

/** "in 3 d 4 h" / "2 h ago" for countdowns (SLA, KVKK, breach clocks). */
export function relativeTo(locale: Locale, value: string, now = Date.now()): string {
  const ms = Date.parse(value) - now;
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  const span = days > 0 ? `${days}${locale === 'en' ? 'd' : 'g'} ${hours}${locale === 'en' ? 'h' : 's'}` : hours > 0 ? `${hours}${locale === 'en' ? 'h' : 's'} ${minutes}${locale === 'en' ? 'm' : 'dk'}` : `${minutes}${locale === 'en' ? 'm' : 'dk'}`;
  if (locale === 'en') return ms >= 0 ? `in ${span}` : `${span} ago`;
  return ms >= 0 ? `${span} kaldı` : `${span} geçti`;
}
