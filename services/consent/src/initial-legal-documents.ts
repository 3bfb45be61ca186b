// First published versions of the four legal texts (CON-1): user agreement,
// information notice (KVKK art. 10), cookie policy and data-processing
// undertaking, in Turkish and English. The texts live in ./legal-texts/ as
// `<kind-with-dashes>.<locale>.md` templates; seller-specific values are
// `{{placeholder}}`s filled from the environment. The seller's legal team
// replaces them by publishing new versions; these are only inserted when no
// version 1 exists for the kind and locale.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadConfig } from '@omurga/shared';
import { receiptSettings } from './consent-ledger.ts';
import { LEGAL_DOCUMENT_KINDS, type ConsentModels } from './models.ts';

const EFFECTIVE_AT = new Date('2026-01-01T00:00:00Z');

export const LEGAL_TEXT_LOCALES = ['tr', 'en'] as const;
export type LegalTextLocale = (typeof LEGAL_TEXT_LOCALES)[number];
export type LegalDocumentKind = (typeof LEGAL_DOCUMENT_KINDS)[number];

/** Every placeholder a legal text may use; anything else in `{{…}}` is an error. */
export const LEGAL_TEXT_PLACEHOLDERS = [
  'sellerName',
  'sellerAddress',
  'sellerMersis',
  'kepAddress',
  'dpoEmail',
  'supportEmail',
  'appUrl',
] as const;
export type LegalTextPlaceholder = (typeof LEGAL_TEXT_PLACEHOLDERS)[number];
export type LegalTextValues = Record<LegalTextPlaceholder, string>;

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

const text = () => z.string().trim().min(1);
// Development defaults; production sets the seller's registered details.
const envSchema = z.object({
  CONSENT_CONTROLLER_ADDRESS: text().default('Örnek Mah. Yazılım Cad. No: 1, 34000 Beşiktaş/İstanbul'),
  CONSENT_CONTROLLER_MERSIS: text().default('0000000000000000'),
  CONSENT_CONTROLLER_KEP: text().default('omurga@hs01.kep.tr'),
  CONSENT_SUPPORT_EMAIL: text().default('destek@omurga.local'),
});

/**
 * The values for the placeholders: the controller name and contact are the
 * ones printed on consent receipts (CONSENT_CONTROLLER_NAME,
 * CONSENT_CONTROLLER_CONTACT), the app URL is PUBLIC_APP_URL.
 */
export function legalTextValues(env: NodeJS.ProcessEnv = process.env): LegalTextValues {
  const receipt = receiptSettings(loadConfig(env).publicAppUrl, env);
  const parsed = envSchema.parse(env);
  return {
    sellerName: receipt.controllerName,
    sellerAddress: parsed.CONSENT_CONTROLLER_ADDRESS,
    sellerMersis: parsed.CONSENT_CONTROLLER_MERSIS,
    kepAddress: parsed.CONSENT_CONTROLLER_KEP,
    dpoEmail: receipt.controllerContact,
    supportEmail: parsed.CONSENT_SUPPORT_EMAIL,
    appUrl: receipt.publicAppUrl.replace(/\/+$/, ''),
  };
}

export interface LegalTextTemplate {
  kind: LegalDocumentKind;
  locale: LegalTextLocale;
  file: string;
  template: string;
}

export function legalTextFileName(kind: LegalDocumentKind, locale: LegalTextLocale): string {
  return `${kind.toLowerCase().replaceAll('_', '-')}.${locale}.md`;
}

function readTemplates(): LegalTextTemplate[] {
  return LEGAL_DOCUMENT_KINDS.flatMap((kind) =>
    LEGAL_TEXT_LOCALES.map((locale) => {
      const file = legalTextFileName(kind, locale);
      const template = readFileSync(new URL(`./legal-texts/${file}`, import.meta.url), 'utf8');
      return { kind, locale, file, template };
    }),
  );
}

/** The raw templates, read once when the module loads (a missing file fails the start). */
export const LEGAL_TEXT_TEMPLATES: readonly LegalTextTemplate[] = readTemplates();

/** The placeholder names a template uses, in order of first use. */
export function placeholdersIn(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

const isKnownPlaceholder = (name: string): name is LegalTextPlaceholder =>
  (LEGAL_TEXT_PLACEHOLDERS as readonly string[]).includes(name);

/** Fills every placeholder; an unknown placeholder is a programming error in the text. */
export function fillLegalText(template: string, values: LegalTextValues, file = 'legal text'): string {
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!isKnownPlaceholder(name)) throw new Error(`${file}: unknown placeholder {{${name}}}`);
    return values[name];
  });
  return filled.trimEnd();
}

export interface InitialLegalDocument {
  kind: LegalDocumentKind;
  locale: LegalTextLocale;
  body: string;
  contentHash: string;
}

export function contentHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export function initialLegalDocuments(values: LegalTextValues = legalTextValues()): InitialLegalDocument[] {
  return LEGAL_TEXT_TEMPLATES.map(({ kind, locale, file, template }) => {
    const body = fillLegalText(template, values, file);
    return { kind, locale, body, contentHash: contentHash(body) };
  });
}

export async function publishInitialLegalDocuments(
  models: ConsentModels,
  values: LegalTextValues = legalTextValues(),
): Promise<void> {
  await Promise.all(
    initialLegalDocuments(values).map((doc) =>
      models.LegalDocumentVersion.updateOne(
        { kind: doc.kind, locale: doc.locale, version: 1 },
        { $setOnInsert: { body: doc.body, contentHash: doc.contentHash, effectiveAt: EFFECTIVE_AT } },
        { upsert: true },
      ),
    ),
  );
}
