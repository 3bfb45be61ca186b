import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '@omurga/shared';
import { BILLING_EMAIL_KINDS, type BillingEmailKind } from '../../src/workflows/contracts.ts';
import { REQUIRED_PARAMS, billingMessageId, createBillingOutbox, renderBillingEmail, type SendBillingEmailInput } from '../../src/emails.ts';
import type { BillingModels } from '../../src/models/index.ts';
import { addressKey } from '@omurga/shared/temporal';

const EVERY_PARAM = {
  planName: 'Omnichannel Pro',
  newPlanName: 'Omnichannel Kurumsal',
  trialEndsAt: '2026-03-14T21:00:00.000Z',
  invoiceNumber: 'OMR2026000000042',
  amountMinor: '123456',
  currency: 'TRY',
  dueAt: '2026-03-15T21:30:00.000Z', // already 16 March in Istanbul
  nextAttemptAt: '2026-03-18T11:30:00.000Z',
  suspendAt: '2026-03-22T09:00:00.000Z',
  terminateAt: '2026-04-05T09:00:00.000Z',
  dataDeletionAt: '2026-05-05T09:00:00.000Z',
  effectiveAt: '2026-04-01T00:00:00.000Z',
  reason: 'NON_PAYMENT',
};
const TURKISH_LETTERS = /[çğıöşüÇĞİÖŞÜ]/;
const BROKEN = /undefined|null|NaN|Invalid Date|\[object/;
const INVOICE_KINDS: BillingEmailKind[] = ['INVOICE_ISSUED', 'PAYMENT_SUCCEEDED', 'PAYMENT_FAILED', 'PAYMENT_REMINDER', 'PAYMENT_OVERDUE'];

describe('billing e-mail templates', () => {
  describe.each(BILLING_EMAIL_KINDS)('%s', (kind) => {
    it.each(['tr', 'en'] as const)('renders in %s with every param, without gaps', (locale) => {
      const email = renderBillingEmail(kind, locale, EVERY_PARAM);
      expect(email.missing).toEqual([]);
      expect(email.subject.trim()).not.toBe('');
      expect(email.text.trim()).not.toBe('');
      expect(`${email.subject}\n${email.text}`).not.toMatch(BROKEN);
      expect(email.text).not.toContain(locale === 'tr' ? '(belirtilmedi)' : '(not given)');
      if (locale === 'tr') expect(`${email.subject} ${email.text}`).toMatch(TURKISH_LETTERS);
      if (INVOICE_KINDS.includes(kind)) {
        expect(email.subject).toContain('OMR2026000000042');
        expect(email.text).toContain(locale === 'tr' ? '1.234,56 ₺' : '₺1,234.56');
      }
    });

    it.each(['tr', 'en'] as const)('renders in %s with no params: placeholders, never "undefined", and reports what is missing', (locale) => {
      const email = renderBillingEmail(kind, locale, {});
      expect(email.missing).toEqual(REQUIRED_PARAMS[kind]);
      expect(email.subject.trim()).not.toBe('');
      expect(`${email.subject}\n${email.text}`).not.toMatch(BROKEN);
      if (email.missing.length) expect(email.text).toContain(locale === 'tr' ? '(belirtilmedi)' : '(not given)');
    });
  });

  it('shows dates in Turkish time and the next attempt with its time (BIL-6)', () => {
    const issued = renderBillingEmail('INVOICE_ISSUED', 'tr', EVERY_PARAM);
    expect(issued.text).toContain('Son ödeme tarihi: 16 Mart 2026');
    const failed = renderBillingEmail('PAYMENT_FAILED', 'tr', EVERY_PARAM);
    expect(failed.text).toContain('Bir sonraki deneme: 18 Mart 2026 14:30 (TSİ)');
    const failedEn = renderBillingEmail('PAYMENT_FAILED', 'en', EVERY_PARAM);
    expect(failedEn.text).toContain('Next attempt: 18 March 2026 at 14:30 (Turkey time)');
  });

  it('says so when the failed attempt was the last one', () => {
    const { nextAttemptAt: _, ...lastAttempt } = EVERY_PARAM;
    const email = renderBillingEmail('PAYMENT_FAILED', 'tr', lastAttempt);
    expect(email.missing).toEqual([]);
    expect(email.text).not.toContain('Bir sonraki deneme');
    expect(email.text).toContain('Otomatik olarak yeniden denemeyeceğiz.');
  });

  it('leaves out optional sentences whose params are missing', () => {
    const email = renderBillingEmail('SUBSCRIPTION_SUSPENDED', 'tr', { planName: 'Omnichannel Pro', reason: 'CHARGEBACK' });
    expect(email.text).toContain('itiraz (ters ibraz)');
    expect(email.text).not.toContain('Ödenmemiş fatura:');
    expect(email.text).not.toContain('sonlandırılacak');
    const full = renderBillingEmail('SUBSCRIPTION_SUSPENDED', 'tr', EVERY_PARAM);
    expect(full.text).toContain('Ödenmemiş fatura: OMR2026000000042 (1.234,56 ₺)');
    expect(full.text).toContain('5 Nisan 2026 tarihinde sonlandırılacak');
  });

  it('shows values it cannot format as given, rather than dropping or mangling them', () => {
    const email = renderBillingEmail('INVOICE_ISSUED', 'en', { ...EVERY_PARAM, amountMinor: '12.5', currency: 'XYZ', dueAt: 'next Monday' });
    expect(email.text).toContain('Amount (VAT included): 12.5 XYZ');
    expect(email.text).toContain('Due date: next Monday');
  });
});

/** Just enough of the billing models for the outbox: a subscription, its plan and an invoice. */
function fakeModels() {
  // As mongoose's: a lean query is awaited or exec()uted.
  const query = <T>(value: T) => ({ exec: async () => value, then: (onValue: (v: T) => unknown, onError?: (e: unknown) => unknown) => Promise.resolve(value).then(onValue, onError) });
  const lean = <T>(value: T) => ({ lean: () => query(value), sort: () => ({ lean: () => query(value) }) });
  const rows: Record<string, unknown>[] = [];
  const models = {
    Subscription: { findById: () => lean({ organizationId: 'org-1', planId: 'plan-1', pendingPlanCode: null, trialEndsAt: null, currentPeriodEnd: null, cancelEffectiveAt: null }) },
    Plan: { findById: () => lean({ name: 'Omnichannel Pro' }), findOne: () => lean(null) },
    Invoice: {
      findById: () => lean({ organizationId: 'org-1', number: 'OMR2026000000042', total: { amountMinor: 123456, currency: 'TRY' }, dueAt: new Date('2026-03-15T21:30:00Z') }),
    },
    BillingEmail: {
      exists: async ({ key }: { key: string }) => (rows.some((r) => r.key === key) ? { _id: key } : null),
      create: vi.fn(async (row: Record<string, unknown>) => {
        if (rows.some((r) => r.key === row.key)) throw Object.assign(new Error('E11000 duplicate key'), { code: 11000 });
        rows.push(row);
        return row;
      }),
    },
  };
  return { models: models as unknown as BillingModels, rows };
}

/** An SMTP server stand-in: what it accepted, or a failure while `fail` says so. */
function fakeMailer(fail?: () => Error | undefined) {
  const sent: { to: string; subject: string; text: string; messageId?: string }[] = [];
  const send = vi.fn(async (message: (typeof sent)[number]) => {
    const failure = fail?.();
    if (failure) throw failure;
    sent.push(message);
    return { messageId: message.messageId ?? '' };
  });
  return { mailer: { send }, send, sent };
}

const logger = { warn: vi.fn(), error: vi.fn(), info: vi.fn() } as unknown as Logger;
const SUBSCRIPTION_ID = '65f000000000000000000001';
const INVOICE_ID = '65f000000000000000000002';

describe('billing outbox', () => {
  const input = {
    kind: 'PAYMENT_FAILED' as const,
    key: `invoice/${INVOICE_ID}/attempt/1`,
    subscriptionId: SUBSCRIPTION_ID,
    invoiceId: INVOICE_ID,
    to: [
      { email: 'Muhasebe@Example.test', locale: 'tr' as const },
      { email: 'owner@example.test', locale: 'en' as const },
      { email: 'muhasebe@example.test', locale: 'en' as const },
    ],
    params: { nextAttemptAt: '2026-03-18T11:30:00.000Z' },
  };

  it('delivers one e-mail per distinct recipient, in their language, with the invoice facts from the database, and records it', async () => {
    const { models, rows } = fakeModels();
    const smtp = fakeMailer();
    await createBillingOutbox({ models, mailer: smtp.mailer, logger }).send(input);

    const keys = [`${input.key}/${addressKey('muhasebe@example.test')}`, `${input.key}/${addressKey('owner@example.test')}`];
    expect(rows.map((r) => r.key)).toEqual(keys);
    expect(rows[0]).toMatchObject({ kind: 'PAYMENT_FAILED', organizationId: 'org-1', subscriptionId: SUBSCRIPTION_ID, invoiceId: INVOICE_ID, to: ['muhasebe@example.test'] });
    const [turkish, english] = smtp.sent;
    expect(turkish).toMatchObject({ to: 'muhasebe@example.test', subject: 'Ödeme alınamadı: OMR2026000000042', messageId: billingMessageId(keys[0]!) });
    expect(turkish!.text).toContain('1.234,56 ₺');
    expect(english).toMatchObject({ to: 'owner@example.test', subject: 'Payment failed: OMR2026000000042' });
    expect(billingMessageId(keys[0]!)).toBe(`<email.billing.invoice.${INVOICE_ID}.attempt.1.${addressKey('muhasebe@example.test')}@omurga>`);
  });

  it('takes the subscription and invoice a lifecycle step has just read or written instead of reading them again (issue 16)', async () => {
    const { models } = fakeModels();
    const reads = [vi.spyOn(models.Subscription, 'findById'), vi.spyOn(models.Invoice, 'findById')];
    const smtp = fakeMailer();
    const known = {
      subscription: { organizationId: 'org-7', planId: 'plan-1', pendingPlanCode: null, trialEndsAt: null, currentPeriodEnd: null, cancelEffectiveAt: null },
      invoice: { organizationId: 'org-7', number: 'OMR2026000000099', total: { amountMinor: 500, currency: 'TRY' }, dueAt: new Date('2026-03-15T21:30:00Z') },
    } as unknown as NonNullable<SendBillingEmailInput['known']>;
    await createBillingOutbox({ models, mailer: smtp.mailer, logger }).send({ ...input, to: [input.to[1]!], known });

    for (const read of reads) expect(read).not.toHaveBeenCalled();
    expect(smtp.sent.map((m) => m.subject)).toEqual(['Payment failed: OMR2026000000099']);
  });

  it('sending the same key again delivers nothing more', async () => {
    const { models, rows } = fakeModels();
    const smtp = fakeMailer();
    const outbox = createBillingOutbox({ models, mailer: smtp.mailer, logger });
    await outbox.send(input);
    await outbox.send(input);
    expect(rows).toHaveLength(2);
    expect(smtp.send).toHaveBeenCalledTimes(2);
  });

  it('an SMTP failure fails the send (the activity is retried) and the retry delivers what did not go out', async () => {
    const { models, rows } = fakeModels();
    let smtpDown = true;
    const smtp = fakeMailer(() => (smtpDown ? new Error('connection refused') : undefined));
    const outbox = createBillingOutbox({ models, mailer: smtp.mailer, logger });
    await expect(outbox.send(input)).rejects.toThrow('connection refused');
    expect(rows).toHaveLength(0);

    smtpDown = false;
    await outbox.send(input);
    expect(rows).toHaveLength(2);
    expect(smtp.sent.map((m) => m.to)).toEqual(['muhasebe@example.test', 'owner@example.test']);
  });
});
