import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  LEGAL_TEXT_LOCALES,
  LEGAL_TEXT_PLACEHOLDERS,
  LEGAL_TEXT_TEMPLATES,
  fillLegalText,
  initialLegalDocuments,
  legalTextValues,
  placeholdersIn,
  publishInitialLegalDocuments,
  type LegalTextValues,
} from '../../src/initial-legal-documents.ts';
import { LEGAL_DOCUMENT_KINDS, type ConsentModels } from '../../src/models.ts';

const values: LegalTextValues = {
  sellerName: 'Deneme Bulut Yazılım A.Ş.',
  sellerAddress: 'Test Cad. No: 7, 06000 Çankaya/Ankara',
  sellerMersis: '0123456789012345',
  kepAddress: 'deneme@hs02.kep.tr',
  dpoEmail: 'kvkk@deneme.example',
  supportEmail: 'destek@deneme.example',
  appUrl: 'https://app.deneme.example',
};

const docs = initialLegalDocuments(values);
const body = (kind: string, locale: string) => {
  const doc = docs.find((d) => d.kind === kind && d.locale === locale);
  if (!doc) throw new Error(`no ${kind}/${locale}`);
  return doc.body;
};

describe('CON-1 initial legal texts', () => {
  it('has a Turkish and an English text for every document kind, and nothing else', () => {
    const pairs = LEGAL_TEXT_TEMPLATES.map((t) => `${t.kind}/${t.locale}`).sort();
    const expected = LEGAL_DOCUMENT_KINDS.flatMap((kind) => LEGAL_TEXT_LOCALES.map((locale) => `${kind}/${locale}`)).sort();
    expect(pairs).toEqual(expected);
    expect(LEGAL_TEXT_LOCALES).toEqual(['tr', 'en']);
    for (const t of LEGAL_TEXT_TEMPLATES) expect(t.template.trim().length).toBeGreaterThan(1500);
  });

  it('uses only the known placeholders, and names the seller in every text', () => {
    for (const t of LEGAL_TEXT_TEMPLATES) {
      const used = placeholdersIn(t.template);
      for (const name of used) expect(LEGAL_TEXT_PLACEHOLDERS, `${t.file} uses {{${name}}}`).toContain(name);
      expect(used, t.file).toContain('sellerName');
    }
  });

  it('fills every placeholder with the configured value and leaves no braces behind', () => {
    for (const t of LEGAL_TEXT_TEMPLATES) {
      const filled = body(t.kind, t.locale);
      expect(filled, t.file).not.toMatch(/\{\{|\}\}/);
      for (const name of placeholdersIn(t.template)) {
        expect(filled, `${t.file} {{${name}}}`).toContain(values[name as keyof LegalTextValues]);
      }
    }
  });

  it('marks every title line with version 1 in the text’s language', () => {
    for (const doc of docs) {
      const title = doc.body.split('\n')[0] ?? '';
      expect(title, `${doc.kind}/${doc.locale}`).toMatch(doc.locale === 'tr' ? /^# .+ \(sürüm 1\)$/ : /^# .+ \(version 1\)$/);
    }
  });

  it('hashes exactly the filled body with SHA-256, so other seller values give another hash', () => {
    for (const doc of docs) {
      expect(doc.contentHash).toBe(createHash('sha256').update(doc.body, 'utf8').digest('hex'));
    }
    const other = initialLegalDocuments({ ...values, sellerName: 'Başka Satıcı Ltd. Şti.' });
    expect(other.map((d) => d.contentHash)).not.toEqual(docs.map((d) => d.contentHash));
  });

  it('rejects a text with an unknown placeholder instead of publishing it half-filled', () => {
    expect(() => fillLegalText('# X (sürüm 1)\n{{sellerName}} {{taxOffice}}', values, 'x.tr.md')).toThrow(/x\.tr\.md: unknown placeholder \{\{taxOffice\}\}/);
  });
});

describe('CON-1 / CON-5 information notice (KVKK art. 10)', () => {
  const tr = body('INFORMATION_NOTICE', 'tr');
  const en = body('INFORMATION_NOTICE', 'en');

  it('lists every KVKK art. 11 right in Turkish', () => {
    for (const right of [
      'işlenip işlenmediğini öğrenme',
      'bilgi talep etme',
      'amacına uygun kullanılıp kullanılmadığını öğrenme',
      'aktarıldığı üçüncü kişileri bilme',
      'düzeltilmesini isteme',
      'silinmesini veya yok edilmesini isteme',
      'aktarıldığı üçüncü kişilere bildirilmesini isteme',
      'münhasıran otomatik sistemlerle analiz',
      'zararın giderilmesini talep etme',
    ]) {
      expect(tr).toContain(right);
    }
  });

  it('lists every KVKK art. 11 right in English', () => {
    for (const right of [
      'learn whether your personal data is processed',
      'request information',
      'learn the purpose of processing',
      'know the third parties',
      'request rectification',
      'request erasure or destruction',
      'be notified to the third parties',
      'exclusively by automated systems',
      'claim compensation',
    ]) {
      expect(en).toContain(right);
    }
  });

  it('names the controller, legal bases, transfers abroad and how to apply (30 days, free)', () => {
    for (const fragment of ['m. 5/2-c', 'm. 5/2-ç', 'm. 5/2-f', 'm. 5/1', 'KVKK m. 6', 'KVKK m. 9', 'Türkiye', '30 gün', 'ücretsiz', 'KVKK m. 14']) {
      expect(tr).toContain(fragment);
    }
    for (const fragment of ['Art. 5/2-c', 'Art. 5/2-ç', 'Art. 5/2-f', 'Art. 5/1', 'Art. 6', 'KVKK Art. 9', 'Türkiye', '30 days', 'free of charge', 'Art. 14']) {
      expect(en).toContain(fragment);
    }
    expect(tr).toContain(`Veri sorumlusu: ${values.sellerName} (MERSİS No: ${values.sellerMersis}`);
    expect(tr).toContain(values.kepAddress);
    expect(en).toContain(values.dpoEmail);
  });

  it('names the retention rule for invoices (VUK 253, TTK 82)', () => {
    expect(tr).toMatch(/10 yıl \(213 sayılı VUK m\. 253, 6102 sayılı TTK m\. 82\)/);
    expect(en).toMatch(/10 years \(Tax Procedure Law No\. 213 Art\. 253, Turkish Commercial Code No\. 6102 Art\. 82\)/);
  });
});

describe('CON-3 cookie policy', () => {
  it('asks consent for the analytics and marketing purposes by their ledger names, in both languages', () => {
    for (const locale of LEGAL_TEXT_LOCALES) {
      const text = body('COOKIE_POLICY', locale);
      expect(text).toContain('`cookies-analytics`');
      expect(text).toContain('`cookies-marketing`');
    }
    expect(body('COOKIE_POLICY', 'tr')).toContain('Zorunlu çerezler');
    expect(body('COOKIE_POLICY', 'en')).toContain('Strictly necessary cookies');
  });
});

describe('CON-8 data-processing undertaking', () => {
  it('promises breach notice within 24 hours and forwarding requests within 48 hours', () => {
    const tr = body('DATA_PROCESSING_UNDERTAKING', 'tr');
    const en = body('DATA_PROCESSING_UNDERTAKING', 'en');
    expect(tr).toContain('en geç 24 saat içinde');
    expect(tr).toContain('en geç 48 saat içinde');
    expect(en).toContain('within 24 hours');
    expect(en).toContain('within 48 hours');
  });
});

describe('CON-1 placeholder values from the environment', () => {
  it('reads the seller details from the consent settings and PUBLIC_APP_URL', () => {
    const fromEnv = legalTextValues({
      CONSENT_CONTROLLER_NAME: 'Env Satıcı A.Ş.',
      CONSENT_CONTROLLER_CONTACT: 'dpo@env.example',
      CONSENT_CONTROLLER_ADDRESS: 'Env Sok. 1, İzmir',
      CONSENT_CONTROLLER_MERSIS: '9999999999999999',
      CONSENT_CONTROLLER_KEP: 'env@hs03.kep.tr',
      CONSENT_SUPPORT_EMAIL: 'help@env.example',
      PUBLIC_APP_URL: 'https://panel.env.example/',
    });
    expect(fromEnv).toEqual({
      sellerName: 'Env Satıcı A.Ş.',
      dpoEmail: 'dpo@env.example',
      sellerAddress: 'Env Sok. 1, İzmir',
      sellerMersis: '9999999999999999',
      kepAddress: 'env@hs03.kep.tr',
      supportEmail: 'help@env.example',
      appUrl: 'https://panel.env.example',
    });
  });

  it('has a development default for every placeholder', () => {
    const defaults = legalTextValues({});
    expect(Object.keys(defaults).sort()).toEqual([...LEGAL_TEXT_PLACEHOLDERS].sort());
    for (const value of Object.values(defaults)) expect(value.trim()).not.toBe('');
  });

  it('refuses a blank seller detail', () => {
    expect(() => legalTextValues({ CONSENT_CONTROLLER_KEP: '   ' })).toThrow();
  });
});

describe('CON-1 publishing the initial versions', () => {
  it('upserts version 1 of each kind and locale with insert-only fields, so existing versions are never changed', async () => {
    const calls: { filter: unknown; update: unknown; options: unknown }[] = [];
    const models = {
      LegalDocumentVersion: {
        updateOne: async (filter: unknown, update: unknown, options: unknown) => {
          calls.push({ filter, update, options });
          return { acknowledged: true };
        },
      },
    } as unknown as ConsentModels;

    await publishInitialLegalDocuments(models, values);

    expect(calls).toHaveLength(LEGAL_DOCUMENT_KINDS.length * LEGAL_TEXT_LOCALES.length);
    for (const doc of docs) {
      const call = calls.find((c) => {
        const f = c.filter as { kind: string; locale: string };
        return f.kind === doc.kind && f.locale === doc.locale;
      });
      expect(call, `${doc.kind}/${doc.locale}`).toBeDefined();
      expect(call?.filter).toEqual({ kind: doc.kind, locale: doc.locale, version: 1 });
      expect(call?.update).toEqual({
        $setOnInsert: { body: doc.body, contentHash: doc.contentHash, effectiveAt: new Date('2026-01-01T00:00:00Z') },
      });
      expect(call?.options).toEqual({ upsert: true });
    }
  });
});
