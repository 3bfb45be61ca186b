import type { Client } from '@temporalio/client';
import type { Locale, Logger } from '@omurga/shared';
import { addressKey, startEmailWorkflow } from '@omurga/shared/temporal';
import type { ContactAddress } from '@omurga/shared/contracts';

/**
 * The consent service's e-mails (CON-5, CON-8): reminders and escalations to
 * the DPO operators, and end-user requests forwarded to a customer. Each has
 * a Turkish and an English text; every message is handed to the durable
 * sendEmailWorkflow under a key per request or breach, stage and address, so
 * a retried activity never sends it twice.
 */

export interface ConsentEmailParams {
  DSR_REMINDER: { requestId: string; kind: string; day: string; dueAt: string; link: string };
  DSR_ESCALATION: { requestId: string; kind: string; dueAt: string; link: string };
  BREACH_ESCALATION: { breachId: string; clock: string; organizationId: string; stage: string; dueAt: string; link: string };
  END_USER_REQUEST_FORWARDED: { requestId: string; receivedAt: string; dueAt: string; summary: string };
  END_USER_REQUEST_ESCALATION: { requestId: string; organizationId: string; dueAt: string; link: string };
  /** CON-3: an operator's campaign text in both languages; the text ends with the unsubscribe link */
  COMMERCIAL_MESSAGE: { subject: { tr: string; en: string }; body: { tr: string; en: string }; unsubscribeLink: string };
}
export type ConsentEmailKind = keyof ConsentEmailParams;

type Template<P> = (p: P, date: (iso: string) => string) => { subject: string; text: string };
type Templates = { [K in ConsentEmailKind]: Record<Locale, Template<ConsentEmailParams[K]>> };

const TIME_ZONE = 'Europe/Istanbul';
const STAGE_TEXT: Record<Locale, Record<string, string>> = {
  tr: { HALF_TIME: 'sürenin yarısı doldu', ONE_HOUR_LEFT: 'son bir saat kaldı', OVERDUE: 'süre doldu' },
  en: { HALF_TIME: 'half the time is gone', ONE_HOUR_LEFT: 'one hour left', OVERDUE: 'the deadline has passed' },
};
const CLOCK_TEXT: Record<Locale, Record<string, string>> = {
  tr: { BOARD: 'KVKK Kurulu bildirimi (72 saat)', CONTROLLER: 'veri sorumlusu müşteriye bildirim (24 saat)' },
  en: { BOARD: 'notifying the KVKK Board (72 hours)', CONTROLLER: 'notifying the controller customer (24 hours)' },
};

const lines = (...parts: (string | false)[]) => parts.filter((p): p is string => p !== false).join('\n');

const TEMPLATES: Templates = {
  DSR_REMINDER: {
    tr: (p, date) => ({
      subject: `Hatırlatma: ilgili kişi başvurusu ${p.requestId} (${p.day}. gün)`,
      text: lines(
        'Merhaba,',
        '',
        `${p.kind} türündeki ilgili kişi başvurusu ${p.requestId} alınalı ${p.day} gün oldu ve hâlâ açık.`,
        `KVKK m. 13 uyarınca en geç ${date(p.dueAt)} tarihine kadar yanıtlanmalıdır.`,
        '',
        p.link,
      ),
    }),
    en: (p, date) => ({
      subject: `Reminder: data-subject request ${p.requestId} (day ${p.day})`,
      text: lines(
        'Hello,',
        '',
        `Data-subject request ${p.requestId} (${p.kind}) was received ${p.day} days ago and is still open.`,
        `Under KVKK art. 13 it must be answered by ${date(p.dueAt)}.`,
        '',
        p.link,
      ),
    }),
  },
  DSR_ESCALATION: {
    tr: (p, date) => ({
      subject: `Süresi doldu: ilgili kişi başvurusu ${p.requestId}`,
      text: lines(
        'Merhaba,',
        '',
        `${p.kind} türündeki ilgili kişi başvurusu ${p.requestId} için 30 günlük yanıt süresi ${date(p.dueAt)} tarihinde doldu ve başvuru hâlâ açık.`,
        'Lütfen başvuruyu gecikmeksizin yanıtlayın.',
        '',
        p.link,
      ),
    }),
    en: (p, date) => ({
      subject: `Overdue: data-subject request ${p.requestId}`,
      text: lines(
        'Hello,',
        '',
        `The 30-day answer period of data-subject request ${p.requestId} (${p.kind}) ended on ${date(p.dueAt)} and the request is still open.`,
        'Please answer it without further delay.',
        '',
        p.link,
      ),
    }),
  },
  BREACH_ESCALATION: {
    tr: (p, date) => ({
      subject: `İhlal ${p.breachId}: ${STAGE_TEXT.tr[p.stage] ?? p.stage}`,
      text: lines(
        'Merhaba,',
        '',
        `Veri ihlali ${p.breachId} için ${CLOCK_TEXT.tr[p.clock] ?? p.clock} henüz yapılmadı: ${STAGE_TEXT.tr[p.stage] ?? p.stage}.`,
        p.organizationId !== '' && `Bildirilecek müşteri: ${p.organizationId}`,
        `Son tarih: ${date(p.dueAt)}`,
        '',
        p.link,
      ),
    }),
    en: (p, date) => ({
      subject: `Breach ${p.breachId}: ${STAGE_TEXT.en[p.stage] ?? p.stage}`,
      text: lines(
        'Hello,',
        '',
        `For breach ${p.breachId}, ${CLOCK_TEXT.en[p.clock] ?? p.clock} is still outstanding: ${STAGE_TEXT.en[p.stage] ?? p.stage}.`,
        p.organizationId !== '' && `Customer to notify: ${p.organizationId}`,
        `Deadline: ${date(p.dueAt)}`,
        '',
        p.link,
      ),
    }),
  },
  END_USER_REQUEST_FORWARDED: {
    tr: (p, date) => ({
      subject: `Son kullanıcınızdan kişisel veri başvurusu (${p.requestId})`,
      text: lines(
        'Merhaba,',
        '',
        `Hizmetimizi kullanarak işlediğiniz kişisel verilere ilişkin, son kullanıcılarınızdan birinin ${date(p.receivedAt)} tarihinde bize ulaşan başvurusunu veri sorumlusu sıfatıyla size iletiyoruz.`,
        '',
        'Başvurunun özeti:',
        p.summary,
        '',
        `Başvuruyu KVKK m. 13 uyarınca yanıtlamak sizin sorumluluğunuzdadır. Lütfen aldığınızı ${date(p.dueAt)} tarihine kadar bu e-postayı yanıtlayarak teyit edin (başvuru no: ${p.requestId}).`,
      ),
    }),
    en: (p, date) => ({
      subject: `A personal-data request from one of your end-users (${p.requestId})`,
      text: lines(
        'Hello,',
        '',
        `One of your end-users sent us a request about personal data you process with our service; it reached us on ${date(p.receivedAt)}. As you are the data controller, we forward it to you.`,
        '',
        'Summary of the request:',
        p.summary,
        '',
        `Answering it under KVKK art. 13 is your responsibility. Please confirm receipt by ${date(p.dueAt)} by replying to this e-mail (request ${p.requestId}).`,
      ),
    }),
  },
  END_USER_REQUEST_ESCALATION: {
    tr: (p, date) => ({
      subject: `Teyit edilmedi: iletilen son kullanıcı başvurusu ${p.requestId}`,
      text: lines(
        'Merhaba,',
        '',
        `Müşteri ${p.organizationId} kuruluşuna iletilen son kullanıcı başvurusu ${p.requestId}, ${date(p.dueAt)} tarihine kadar teyit edilmedi (48 saat, 003 Ek-1 §5.3).`,
        '',
        p.link,
      ),
    }),
    en: (p, date) => ({
      subject: `Not acknowledged: forwarded end-user request ${p.requestId}`,
      text: lines(
        'Hello,',
        '',
        `End-user request ${p.requestId}, forwarded to customer ${p.organizationId}, was not acknowledged by ${date(p.dueAt)} (48 hours, 003 Ek-1 §5.3).`,
        '',
        p.link,
      ),
    }),
  },
  COMMERCIAL_MESSAGE: {
    tr: (p) => ({
      subject: p.subject.tr,
      text: lines(p.body.tr, '', '--', 'Bu ileti, ticari ileti almaya onay verdiğiniz için gönderildi. Onayınızı oturum açmadan geri almak için:', p.unsubscribeLink),
    }),
    en: (p) => ({
      subject: p.subject.en,
      text: lines(p.body.en, '', '--', 'You receive this because you agreed to commercial messages. To withdraw your consent without signing in:', p.unsubscribeLink),
    }),
  },
};

function formatDate(locale: Locale, iso: string): string {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const text = new Intl.DateTimeFormat(locale === 'tr' ? 'tr-TR' : 'en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: TIME_ZONE }).format(when);
  return `${text} (${locale === 'tr' ? 'TSİ' : 'Turkish time'})`;
}

export function renderConsentEmail<K extends ConsentEmailKind>(kind: K, locale: Locale, params: ConsentEmailParams[K]): { subject: string; text: string } {
  const template = TEMPLATES[kind][locale] as Template<ConsentEmailParams[K]>;
  return template(params, (iso) => formatDate(locale, iso));
}

/** Each address once (case-insensitively), in the order given; an unknown locale reads as Turkish. */
export function uniqueRecipients(to: readonly ContactAddress[]): ContactAddress[] {
  const seen = new Map<string, Locale>();
  for (const contact of to) {
    const email = contact.email.trim().toLowerCase();
    if (email && !seen.has(email)) seen.set(email, contact.locale === 'en' ? 'en' : 'tr');
  }
  return [...seen].map(([email, locale]) => ({ email, locale }));
}

/**
 * The address DPO alerts go to when accounts has neither a DPO nor a
 * SUPER_ADMIN operator: the CONSENT_DPO_EMAIL environment variable (optional).
 */
export function configuredDpoContacts(env: NodeJS.ProcessEnv = process.env): ContactAddress[] {
  const email = env.CONSENT_DPO_EMAIL?.trim();
  return email ? [{ email, locale: 'tr' }] : [];
}

export interface ConsentOutbox {
  /**
   * E-mails each recipient once per `key` (however often it is called) and
   * answers how many addresses it went to. Throws when the e-mail workflow
   * cannot be started, so the calling activity is retried.
   */
  send<K extends ConsentEmailKind>(
    kind: K,
    key: string,
    to: readonly ContactAddress[],
    params: ConsentEmailParams[K],
    options?: { headers?: Record<string, string> },
  ): Promise<number>;
  /** `recipients`, or the configured fallback address when there are none (DPO alerts). */
  toDpo(recipients: readonly ContactAddress[]): ContactAddress[];
  /** An operator console link under the public app URL. */
  operatorLink(path: string): string;
}

export function createConsentOutbox(deps: { temporal: Client; publicAppUrl: string; logger: Logger; fallbackDpo?: ContactAddress[] }): ConsentOutbox {
  const fallbackDpo = deps.fallbackDpo ?? configuredDpoContacts();
  return {
    async send(kind, key, to, params, options) {
      const recipients = uniqueRecipients(to);
      if (!recipients.length) deps.logger.warn({ kind, key }, 'consent e-mail without recipients');
      for (const { email, locale } of recipients) {
        await startEmailWorkflow(deps.temporal, `consent/${key}/${addressKey(email)}`, {
          to: email,
          ...renderConsentEmail(kind, locale, params),
          ...(options?.headers ? { headers: options.headers } : {}),
        });
      }
      return recipients.length;
    },
    toDpo: (recipients) => (uniqueRecipients(recipients).length ? [...recipients] : fallbackDpo),
    operatorLink: (path) => `${deps.publicAppUrl.replace(/\/+$/, '')}${path}`,
  };
}

