import { Types } from 'mongoose';
import { isDuplicateKeyError, lifecycleEmailsDelivered, type Locale, type Logger, type Mailer } from '@omurga/shared';
import { addressKey } from '@omurga/shared/temporal';
import type { BillingActivities, BillingEmailKind } from './workflows/contracts.ts';
import type { BillingModels, InvoiceDoc, PlanDoc, SubscriptionDoc } from './models/index.ts';
import { catalogueVersions, type CatalogueVersions } from './catalogue-versions.ts';
import { formatMoney, isSupportedCurrency } from './money.ts';

/**
 * Billing's e-mails: a Turkish and an English template for every
 * BillingEmailKind, and the outbox that delivers them over SMTP once per
 * recipient, inside the lifecycle activity that causes them.
 */

interface InvoiceParams {
  invoiceNumber: string;
  /** integer minor units, as a string ("123456" = 1.234,56) */
  amountMinor: string;
  currency: string;
}
interface OptionalInvoiceParams {
  invoiceNumber?: string;
  amountMinor?: string;
  currency?: string;
}

/**
 * The params each kind's template uses. Dates are ISO-8601 instants, shown in
 * Turkish time. Optional params add or change a sentence. The outbox fills
 * planName, newPlanName, trialEndsAt, effectiveAt and the invoice params from
 * the subscription and the invoice when the caller leaves them out.
 */
export interface BillingEmailParams {
  TRIAL_STARTED: { planName: string; trialEndsAt: string };
  TRIAL_ENDED: { planName: string };
  INVOICE_ISSUED: InvoiceParams & { dueAt: string };
  PAYMENT_SUCCEEDED: InvoiceParams;
  /** no nextAttemptAt: that was the last automatic attempt */
  PAYMENT_FAILED: InvoiceParams & { nextAttemptAt?: string };
  PAYMENT_REMINDER: InvoiceParams & { dueAt: string };
  PAYMENT_OVERDUE: InvoiceParams & { dueAt: string; suspendAt?: string };
  SUBSCRIPTION_SUSPENDED: OptionalInvoiceParams & { planName: string; reason?: SuspensionCause; terminateAt?: string };
  SUBSCRIPTION_RESTORED: { planName: string };
  TERMINATION_NOTICE: OptionalInvoiceParams & { planName: string; terminateAt: string };
  SUBSCRIPTION_TERMINATED: { planName: string; dataDeletionAt?: string };
  CANCELLATION_SCHEDULED: { planName: string; effectiveAt: string };
  SUBSCRIPTION_CANCELED: { planName: string };
  PLAN_CHANGE_SCHEDULED: { planName: string; newPlanName: string; effectiveAt: string };
}
export type SuspensionCause = 'NON_PAYMENT' | 'CHARGEBACK';

type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T] & string;

const INVOICE_KEYS = ['invoiceNumber', 'amountMinor', 'currency'] as const;

/** The required params of each kind, at run time (checked against BillingEmailParams below). */
export const REQUIRED_PARAMS = {
  TRIAL_STARTED: ['planName', 'trialEndsAt'],
  TRIAL_ENDED: ['planName'],
  INVOICE_ISSUED: [...INVOICE_KEYS, 'dueAt'],
  PAYMENT_SUCCEEDED: INVOICE_KEYS,
  PAYMENT_FAILED: INVOICE_KEYS,
  PAYMENT_REMINDER: [...INVOICE_KEYS, 'dueAt'],
  PAYMENT_OVERDUE: [...INVOICE_KEYS, 'dueAt'],
  SUBSCRIPTION_SUSPENDED: ['planName'],
  SUBSCRIPTION_RESTORED: ['planName'],
  TERMINATION_NOTICE: ['planName', 'terminateAt'],
  SUBSCRIPTION_TERMINATED: ['planName'],
  CANCELLATION_SCHEDULED: ['planName', 'effectiveAt'],
  SUBSCRIPTION_CANCELED: ['planName'],
  PLAN_CHANGE_SCHEDULED: ['planName', 'newPlanName', 'effectiveAt'],
} as const satisfies { [K in BillingEmailKind]: readonly RequiredKeys<BillingEmailParams[K]>[] };

// Compile-time: every required key of every kind is listed above.
type Unlisted = { [K in BillingEmailKind]: Exclude<RequiredKeys<BillingEmailParams[K]>, (typeof REQUIRED_PARAMS)[K][number]> }[BillingEmailKind];
const everyRequiredKeyListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyRequiredKeyListed;

/**
 * What a template sees: each param already formatted for the reader. A
 * missing required param reads as a placeholder, never as "undefined";
 * `has` tells whether an optional one was given.
 */
interface View<K extends BillingEmailKind> {
  text(key: keyof BillingEmailParams[K] & string): string;
  date(key: keyof BillingEmailParams[K] & string): string;
  dateTime(key: keyof BillingEmailParams[K] & string): string;
  amount(): string;
  has(key: keyof BillingEmailParams[K] & string): boolean;
}
type Template<K extends BillingEmailKind> = (v: View<K>) => { subject: string; text: string };
type Templates = { [K in BillingEmailKind]: Record<Locale, Template<K>> };

const lines = (...parts: (string | false | null | undefined)[]) => parts.filter((p): p is string => typeof p === 'string').join('\n');

const TEMPLATES: Templates = {
  TRIAL_STARTED: {
    tr: (v) => ({
      subject: 'Deneme süreniz başladı',
      text: lines('Merhaba,', '', `${v.text('planName')} planı için deneme süreniz başladı. Deneme ${v.date('trialEndsAt')} tarihinde sona erecek.`),
    }),
    en: (v) => ({
      subject: 'Your trial has started',
      text: lines('Hello,', '', `Your trial of ${v.text('planName')} has started. It ends on ${v.date('trialEndsAt')}.`),
    }),
  },
  TRIAL_ENDED: {
    tr: (v) => ({
      subject: 'Deneme süreniz sona erdi',
      text: lines('Merhaba,', '', `${v.text('planName')} planı için deneme süreniz sona erdi ve aboneliğiniz başlatılmadı.`, 'Hizmeti kullanmaya devam etmek için panelden abone olabilirsiniz.'),
    }),
    en: (v) => ({
      subject: 'Your trial has ended',
      text: lines('Hello,', '', `Your trial of ${v.text('planName')} has ended without a subscription.`, 'To keep using the service, subscribe from your panel.'),
    }),
  },
  INVOICE_ISSUED: {
    tr: (v) => ({
      subject: `Yeni faturanız: ${v.text('invoiceNumber')}`,
      text: lines(
        'Merhaba,',
        '',
        `${v.text('invoiceNumber')} numaralı faturanız düzenlendi.`,
        '',
        `Tutar (KDV dahil): ${v.amount()}`,
        `Son ödeme tarihi: ${v.date('dueAt')}`,
        '',
        'Faturanızı panelden görüntüleyip indirebilirsiniz.',
      ),
    }),
    en: (v) => ({
      subject: `Your invoice ${v.text('invoiceNumber')}`,
      text: lines(
        'Hello,',
        '',
        `Invoice ${v.text('invoiceNumber')} has been issued.`,
        '',
        `Amount (VAT included): ${v.amount()}`,
        `Due date: ${v.date('dueAt')}`,
        '',
        'You can view and download it in your panel.',
      ),
    }),
  },
  PAYMENT_SUCCEEDED: {
    tr: (v) => ({
      subject: `Ödemeniz alındı: ${v.text('invoiceNumber')}`,
      text: lines('Merhaba,', '', `${v.text('invoiceNumber')} numaralı faturanız için ${v.amount()} tutarındaki ödemeniz alındı. Teşekkür ederiz.`),
    }),
    en: (v) => ({
      subject: `Payment received: ${v.text('invoiceNumber')}`,
      text: lines('Hello,', '', `We received your payment of ${v.amount()} for invoice ${v.text('invoiceNumber')}. Thank you.`),
    }),
  },
  PAYMENT_FAILED: {
    tr: (v) => ({
      subject: `Ödeme alınamadı: ${v.text('invoiceNumber')}`,
      text: lines(
        'Merhaba,',
        '',
        `${v.text('invoiceNumber')} numaralı faturanızın ${v.amount()} tutarındaki ödemesi kayıtlı kartınızdan alınamadı.`,
        v.has('nextAttemptAt') ? `Bir sonraki deneme: ${v.dateTime('nextAttemptAt')}` : 'Otomatik olarak yeniden denemeyeceğiz.',
        '',
        'Kartınızı panelden güncelleyebilir ya da faturayı hemen ödeyebilirsiniz.',
      ),
    }),
    en: (v) => ({
      subject: `Payment failed: ${v.text('invoiceNumber')}`,
      text: lines(
        'Hello,',
        '',
        `We could not charge ${v.amount()} for invoice ${v.text('invoiceNumber')} to your card on file.`,
        v.has('nextAttemptAt') ? `Next attempt: ${v.dateTime('nextAttemptAt')}` : 'We will not try again automatically.',
        '',
        'You can update your card or pay the invoice in your panel.',
      ),
    }),
  },
  PAYMENT_REMINDER: {
    tr: (v) => ({
      subject: `Ödeme hatırlatması: ${v.text('invoiceNumber')}`,
      text: lines(
        'Merhaba,',
        '',
        `${v.text('invoiceNumber')} numaralı faturanızın son ödeme tarihi yaklaşıyor.`,
        '',
        `Tutar: ${v.amount()}`,
        `Son ödeme tarihi: ${v.date('dueAt')}`,
        '',
        'Ödemeyi yaptıysanız bu e-postayı dikkate almayın.',
      ),
    }),
    en: (v) => ({
      subject: `Payment reminder: ${v.text('invoiceNumber')}`,
      text: lines(
        'Hello,',
        '',
        `Invoice ${v.text('invoiceNumber')} is due soon.`,
        '',
        `Amount: ${v.amount()}`,
        `Due date: ${v.date('dueAt')}`,
        '',
        'If you have already paid, please ignore this e-mail.',
      ),
    }),
  },
  PAYMENT_OVERDUE: {
    tr: (v) => ({
      subject: `Gecikmiş ödeme: ${v.text('invoiceNumber')}`,
      text: lines(
        'Merhaba,',
        '',
        `${v.text('invoiceNumber')} numaralı faturanızın son ödeme tarihi (${v.date('dueAt')}) geçti.`,
        `Ödenmemiş tutar: ${v.amount()}`,
        v.has('suspendAt') && `Ödeme yapılmazsa hizmetiniz ${v.date('suspendAt')} tarihinde askıya alınacak.`,
        '',
        'Ödemeyi panelden yapabilirsiniz.',
      ),
    }),
    en: (v) => ({
      subject: `Payment overdue: ${v.text('invoiceNumber')}`,
      text: lines(
        'Hello,',
        '',
        `Invoice ${v.text('invoiceNumber')} was due on ${v.date('dueAt')} and is still unpaid.`,
        `Amount due: ${v.amount()}`,
        v.has('suspendAt') && `Unless it is paid, the service will be suspended on ${v.date('suspendAt')}.`,
        '',
        'You can pay it in your panel.',
      ),
    }),
  },
  SUBSCRIPTION_SUSPENDED: {
    tr: (v) => ({
      subject: 'Hizmetiniz askıya alındı',
      text: lines(
        'Merhaba,',
        '',
        v.text('reason') === 'CHARGEBACK'
          ? `Bir ödemeniz için itiraz (ters ibraz) bildirildiğinden ${v.text('planName')} aboneliğiniz askıya alındı.`
          : v.text('reason') === 'NON_PAYMENT'
            ? `Ödenmemiş faturanız nedeniyle ${v.text('planName')} aboneliğiniz askıya alındı.`
            : `${v.text('planName')} aboneliğiniz askıya alındı.`,
        v.has('invoiceNumber') && `Ödenmemiş fatura: ${v.text('invoiceNumber')}${v.has('amountMinor') ? ` (${v.amount()})` : ''}`,
        v.has('terminateAt') && `Ödeme yapılmazsa hizmetiniz ${v.date('terminateAt')} tarihinde sonlandırılacak.`,
        '',
        'Askı süresince de faturalarınızı görüntüleyip ödeyebilir, verilerinizi dışa aktarabilirsiniz. Ödeme alındığında hizmetiniz hemen yeniden açılır.',
      ),
    }),
    en: (v) => ({
      subject: 'Your service is suspended',
      text: lines(
        'Hello,',
        '',
        v.text('reason') === 'CHARGEBACK'
          ? `Your ${v.text('planName')} subscription is suspended because a payment was disputed (chargeback).`
          : v.text('reason') === 'NON_PAYMENT'
            ? `Your ${v.text('planName')} subscription is suspended because an invoice is unpaid.`
            : `Your ${v.text('planName')} subscription is suspended.`,
        v.has('invoiceNumber') && `Unpaid invoice: ${v.text('invoiceNumber')}${v.has('amountMinor') ? ` (${v.amount()})` : ''}`,
        v.has('terminateAt') && `Unless it is paid, the service will be terminated on ${v.date('terminateAt')}.`,
        '',
        'While suspended you can still view and pay your invoices and export your data. Service resumes as soon as the payment arrives.',
      ),
    }),
  },
  SUBSCRIPTION_RESTORED: {
    tr: (v) => ({
      subject: 'Hizmetiniz yeniden açıldı',
      text: lines('Merhaba,', '', `${v.text('planName')} aboneliğiniz yeniden etkin; hizmeti kullanmaya devam edebilirsiniz. Teşekkür ederiz.`),
    }),
    en: (v) => ({
      subject: 'Your service is restored',
      text: lines('Hello,', '', `Your ${v.text('planName')} subscription is active again and you can keep using the service. Thank you.`),
    }),
  },
  TERMINATION_NOTICE: {
    tr: (v) => ({
      subject: 'Hizmet sonlandırma bildirimi',
      text: lines(
        'Merhaba,',
        '',
        `Ödenmemiş faturanız nedeniyle ${v.text('planName')} aboneliğiniz ${v.date('terminateAt')} tarihinde sonlandırılacak.`,
        v.has('invoiceNumber') && `Ödenmemiş fatura: ${v.text('invoiceNumber')}${v.has('amountMinor') ? ` (${v.amount()})` : ''}`,
        '',
        'Sonlandırmayı önlemek için bu tarihten önce ödemeyi panelden yapabilirsiniz.',
      ),
    }),
    en: (v) => ({
      subject: 'Notice of service termination',
      text: lines(
        'Hello,',
        '',
        `Because of an unpaid invoice, your ${v.text('planName')} subscription will be terminated on ${v.date('terminateAt')}.`,
        v.has('invoiceNumber') && `Unpaid invoice: ${v.text('invoiceNumber')}${v.has('amountMinor') ? ` (${v.amount()})` : ''}`,
        '',
        'To prevent this, pay in your panel before that date.',
      ),
    }),
  },
  SUBSCRIPTION_TERMINATED: {
    tr: (v) => ({
      subject: 'Hizmetiniz sonlandırıldı',
      text: lines(
        'Merhaba,',
        '',
        `${v.text('planName')} aboneliğiniz sonlandırıldı.`,
        v.has('dataDeletionAt') && `Verileriniz ${v.date('dataDeletionAt')} tarihinde silinecek; o tarihe kadar dışa aktarabilirsiniz.`,
        'Ödenmemiş faturalarınızı panelden ödemeye devam edebilirsiniz.',
      ),
    }),
    en: (v) => ({
      subject: 'Your service has been terminated',
      text: lines(
        'Hello,',
        '',
        `Your ${v.text('planName')} subscription has been terminated.`,
        v.has('dataDeletionAt') && `Your data will be deleted on ${v.date('dataDeletionAt')}; you can export it until then.`,
        'You can still pay any unpaid invoices in your panel.',
      ),
    }),
  },
  CANCELLATION_SCHEDULED: {
    tr: (v) => ({
      subject: 'İptal talebiniz alındı',
      text: lines(
        'Merhaba,',
        '',
        `${v.text('planName')} aboneliğiniz dönem sonunda, ${v.date('effectiveAt')} tarihinde sona erecek. O tarihe kadar hizmeti kullanmaya devam edebilirsiniz.`,
        'Kısmi dönemler için iade yapılmaz.',
      ),
    }),
    en: (v) => ({
      subject: 'Your cancellation is scheduled',
      text: lines(
        'Hello,',
        '',
        `Your ${v.text('planName')} subscription ends at the end of the period, on ${v.date('effectiveAt')}. You can keep using the service until then.`,
        'Partial periods are not refunded.',
      ),
    }),
  },
  SUBSCRIPTION_CANCELED: {
    tr: (v) => ({
      subject: 'Aboneliğiniz sona erdi',
      text: lines('Merhaba,', '', `${v.text('planName')} aboneliğiniz iptal edildi ve sona erdi. Bizi tercih ettiğiniz için teşekkür ederiz.`),
    }),
    en: (v) => ({
      subject: 'Your subscription has ended',
      text: lines('Hello,', '', `Your ${v.text('planName')} subscription has been canceled and has now ended. Thank you for choosing us.`),
    }),
  },
  PLAN_CHANGE_SCHEDULED: {
    tr: (v) => ({
      subject: 'Plan değişikliğiniz planlandı',
      text: lines(
        'Merhaba,',
        '',
        `Aboneliğiniz dönem sonunda, ${v.date('effectiveAt')} tarihinde ${v.text('planName')} planından ${v.text('newPlanName')} planına geçecek.`,
        'Yeni plan ve fiyatı o tarihten itibaren geçerli olur.',
      ),
    }),
    en: (v) => ({
      subject: 'Your plan change is scheduled',
      text: lines(
        'Hello,',
        '',
        `Your subscription moves from ${v.text('planName')} to ${v.text('newPlanName')} at the end of the period, on ${v.date('effectiveAt')}.`,
        'The new plan and its price apply from that date.',
      ),
    }),
  },
};

const PLACEHOLDER: Record<Locale, string> = { tr: '(belirtilmedi)', en: '(not given)' };
const DATE_LOCALE: Record<Locale, string> = { tr: 'tr-TR', en: 'en-GB' };
const TIME_ZONE = 'Europe/Istanbul';
const TIME_ZONE_LABEL: Record<Locale, string> = { tr: 'TSİ', en: 'Turkey time' };

export interface RenderedBillingEmail {
  subject: string;
  text: string;
  /** required params that were missing (rendered as a placeholder) */
  missing: string[];
}

/** Renders `kind` in `locale`. Unknown params are ignored; values that do not parse are shown as given. */
export function renderBillingEmail<K extends BillingEmailKind>(kind: K, locale: Locale, params: Readonly<Record<string, string | undefined>>): RenderedBillingEmail {
  const given = (key: string) => {
    const value = params[key];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const placeholder = PLACEHOLDER[locale];
  const formatDate = (key: string, options: Intl.DateTimeFormatOptions, suffix = '') => {
    const value = given(key);
    if (value === undefined) return placeholder;
    const at = new Date(value);
    return Number.isNaN(at.getTime()) ? value : new Intl.DateTimeFormat(DATE_LOCALE[locale], { ...options, timeZone: TIME_ZONE }).format(at) + suffix;
  };
  const view: View<K> = {
    text: (key) => given(key) ?? placeholder,
    date: (key) => formatDate(key, { dateStyle: 'long' }),
    dateTime: (key) => formatDate(key, { dateStyle: 'long', timeStyle: 'short' }, ` (${TIME_ZONE_LABEL[locale]})`),
    amount() {
      const minor = given('amountMinor');
      const currency = given('currency');
      if (minor === undefined || currency === undefined) return placeholder;
      if (!/^-?\d+$/.test(minor) || !isSupportedCurrency(currency) || !Number.isSafeInteger(Number(minor))) return `${minor} ${currency}`;
      return formatMoney({ amountMinor: Number(minor), currency }, locale);
    },
    has: (key) => given(key) !== undefined,
  };
  const template = TEMPLATES[kind][locale] as Template<K>;
  const missing = (REQUIRED_PARAMS[kind] as readonly string[]).filter((key) => given(key) === undefined);
  return { ...template(view), missing };
}

export type SendBillingEmailInput = Parameters<BillingActivities['sendBillingEmail']>[0] & {
  /** the subscription's organisation, when the caller has already loaded it */
  organizationId?: string;
  /** the subscription and invoice as the caller has just read or written them, which are then not read again */
  known?: { subscription?: SubscriptionDoc; invoice?: InvoiceDoc };
};

export interface BillingOutbox {
  /**
   * Renders the e-mail in each recipient's language and delivers it over
   * SMTP; a failure throws, so the activity is retried. The same `key` and
   * address is delivered once however often it is sent (activity retries
   * included), unless a crash falls between delivering and recording it.
   */
  send(input: SendBillingEmailInput): Promise<void>;
}

export interface BillingOutboxDeps {
  models: BillingModels;
  /** SMTP, pooled: the lifecycle's activity delivers its own e-mails (issue 16), no workflow per message */
  mailer: Pick<Mailer, 'send'>;
  logger: Logger;
}

/** The Message-ID of one billing e-mail to one address: the same on every attempt (and as the former e-mail workflow gave it). */
export const billingMessageId = (recipientKey: string) => `<email.billing.${recipientKey.replaceAll('/', '.')}@omurga>`;

export function createBillingOutbox({ models, mailer, logger }: BillingOutboxDeps): BillingOutbox {
  const versions = catalogueVersions(models);
  return {
    async send(input) {
      const recipients = uniqueRecipients(input.to);
      if (!recipients.length) {
        logger.warn({ kind: input.kind, key: input.key }, 'billing e-mail without recipients');
        return;
      }
      const facts = await factsFor(models, versions, input);
      const params = { ...facts.params, ...input.params };
      for (const { email, locale } of recipients) {
        const recipientKey = `${input.key}/${addressKey(email)}`;
        const rendered = renderBillingEmail(input.kind, locale, params);
        if (rendered.missing.length) logger.warn({ kind: input.kind, key: input.key, missing: rendered.missing }, 'billing e-mail params missing');
        // Recorded only once delivered: a retried activity skips what went out. A crash between
        // the two sends it again under the same Message-ID (at least once, as SMTP itself is).
        if (await models.BillingEmail.exists({ key: recipientKey })) continue;
        await mailer.send({ to: email, subject: rendered.subject, text: rendered.text, messageId: billingMessageId(recipientKey) });
        try {
          await models.BillingEmail.create({
            key: recipientKey,
            kind: input.kind,
            organizationId: input.organizationId ?? facts.organizationId,
            subscriptionId: input.subscriptionId,
            invoiceId: input.invoiceId ?? null,
            to: [email],
            subject: rendered.subject,
          });
          lifecycleEmailsDelivered.inc({ kind: input.kind });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
    },
  };
}


function uniqueRecipients(to: readonly { email: string; locale: string }[]): { email: string; locale: Locale }[] {
  const seen = new Map<string, Locale>();
  for (const contact of to) {
    const email = contact.email.trim().toLowerCase();
    if (email && !seen.has(email)) seen.set(email, contact.locale === 'en' ? 'en' : 'tr');
  }
  return [...seen].map(([email, locale]) => ({ email, locale }));
}

/** What the subscription and invoice say, for params the caller left out. */
async function factsFor(
  models: BillingModels,
  versions: CatalogueVersions,
  input: SendBillingEmailInput,
): Promise<{ organizationId: string; params: Record<string, string> }> {
  const [subscription, invoice] = await Promise.all([
    input.known?.subscription ?? (Types.ObjectId.isValid(input.subscriptionId) ? models.Subscription.findById(input.subscriptionId).lean<SubscriptionDoc>() : null),
    input.known?.invoice ?? (input.invoiceId && Types.ObjectId.isValid(input.invoiceId) ? models.Invoice.findById(input.invoiceId).lean<InvoiceDoc>() : null),
  ]);
  const params: Record<string, string> = {};
  const iso = (date: Date | null | undefined) => (date ? date.toISOString() : undefined);
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined) params[key] = value;
  };

  if (subscription) {
    set('planName', (await versions.plan(subscription.planId))?.name);
    if (subscription.pendingPlanCode) {
      const next = await models.Plan.findOne({ code: subscription.pendingPlanCode }, { name: 1 }).sort({ version: -1 }).lean<Pick<PlanDoc, 'name'>>();
      set('newPlanName', next?.name);
    }
    set('trialEndsAt', iso(subscription.trialEndsAt));
    set('effectiveAt', iso(input.kind === 'CANCELLATION_SCHEDULED' ? (subscription.cancelEffectiveAt ?? subscription.currentPeriodEnd) : subscription.currentPeriodEnd));
  }
  if (invoice) {
    set('invoiceNumber', invoice.number);
    set('amountMinor', String(invoice.total.amountMinor));
    set('currency', invoice.total.currency);
    set('dueAt', iso(invoice.dueAt));
  }
  const organizationId = input.organizationId ?? subscription?.organizationId ?? invoice?.organizationId;
  if (!organizationId) throw new Error(`billing e-mail ${input.key}: subscription ${input.subscriptionId} not found`);
  return { organizationId, params };
}
