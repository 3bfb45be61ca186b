import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@omurga/shared';
import { BODY_MAX, validateCommercialMessage } from '../../src/commercial-messages.ts';
import { createConsentOutbox, renderConsentEmail } from '../../src/emails.ts';
import { addressKey } from '@omurga/shared/temporal';

const params = {
  subject: { tr: 'Yeni özellikler', en: 'New features' },
  body: { tr: 'Merhaba!\nYenilikler burada.', en: 'Hello!\nHere is what is new.' },
  unsubscribeLink: 'https://app.test/unsubscribe?token=abc.def',
};

const input = { purpose: 'marketing', subjectTr: ' Konu ', subjectEn: 'Subject', bodyTr: 'Metin', bodyEn: 'Text' };

describe('commercial messages (CON-3, ETK art. 6-8)', () => {
  it('CON-3: the e-mail is the campaign text in the person\'s language and ends with the unsubscribe link', () => {
    const tr = renderConsentEmail('COMMERCIAL_MESSAGE', 'tr', params);
    const en = renderConsentEmail('COMMERCIAL_MESSAGE', 'en', params);
    expect(tr.subject).toBe('Yeni özellikler');
    expect(tr.text.startsWith('Merhaba!\nYenilikler burada.\n')).toBe(true);
    expect(tr.text.endsWith('\nhttps://app.test/unsubscribe?token=abc.def')).toBe(true);
    expect(en.subject).toBe('New features');
    expect(en.text.startsWith('Hello!\nHere is what is new.\n')).toBe(true);
    expect(en.text.endsWith('\nhttps://app.test/unsubscribe?token=abc.def')).toBe(true);
  });

  it('CON-3: the outbox hands the List-Unsubscribe headers to sendEmailWorkflow', async () => {
    const started: { workflowId: string; message: Record<string, unknown> }[] = [];
    const client = {
      workflow: {
        async start(_name: string, options: { workflowId: string; args: [Record<string, unknown>] }) {
          started.push({ workflowId: options.workflowId, message: options.args[0] });
        },
      },
    } as unknown as Client;
    const outbox = createConsentOutbox({ temporal: client, publicAppUrl: 'https://app.test', logger: {} as Logger, fallbackDpo: [] });
    const headers = { 'List-Unsubscribe': `<${params.unsubscribeLink}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };

    await outbox.send('COMMERCIAL_MESSAGE', 'commercial/c-1/u-1', [{ email: 'a@example.test', locale: 'en' }], params, { headers });

    expect(started).toEqual([
      { workflowId: `email/consent/commercial/c-1/u-1/${addressKey('a@example.test')}`, message: expect.objectContaining({ to: 'a@example.test', subject: 'New features', headers }) },
    ]);
  });

  it('CON-3: a campaign needs a commercial purpose and non-blank texts within the limits (typed userErrors)', () => {
    expect(validateCommercialMessage(input, 'en')).toEqual({
      ok: true,
      purpose: 'marketing',
      subject: { tr: 'Konu', en: 'Subject' },
      body: { tr: 'Metin', en: 'Text' },
    });
    for (const purpose of ['product-news', 'surveys']) expect(validateCommercialMessage({ ...input, purpose }, 'en').ok).toBe(true);

    const bad = validateCommercialMessage({ ...input, purpose: 'cookies-marketing', subjectTr: '  ', bodyEn: 'x'.repeat(BODY_MAX + 1) }, 'tr');
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['UNKNOWN_PURPOSE', ['input', 'purpose']],
      ['REQUIRED', ['input', 'subjectTr']],
      ['TOO_LONG', ['input', 'bodyEn']],
    ]);
    expect(bad.userErrors[0]!.message).toContain('marketing, product-news, surveys');
  });
});
