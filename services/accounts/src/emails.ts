import type { Client } from '@temporalio/client';
import type { Locale, Logger, PlatformConfig } from '@omurga/shared';
import { startEmailWorkflow, type EmailMessage } from '@omurga/shared/temporal';

type Template = (params: Record<string, string>) => { subject: string; text: string };
type Localized = Record<Locale, Template>;

const TEMPLATES = {
  verifyEmail: {
    tr: (p) => ({
      subject: 'E-posta adresinizi doğrulayın',
      text: `Merhaba ${p.name},\n\nHesabınızı etkinleştirmek için 24 saat içinde bu bağlantıyı açın:\n${p.link}\n\nMüşteri kodunuz: ${p.customerCode}\n\nBu kaydı siz yapmadıysanız bu e-postayı yok sayabilirsiniz.`,
    }),
    en: (p) => ({
      subject: 'Verify your e-mail address',
      text: `Hello ${p.name},\n\nOpen this link within 24 hours to activate your account:\n${p.link}\n\nYour customer code: ${p.customerCode}\n\nIf you did not sign up, you can ignore this e-mail.`,
    }),
  },
  passwordReset: {
    tr: (p) => ({
      subject: 'Parola sıfırlama',
      text: `Merhaba ${p.name},\n\nParolanızı sıfırlamak için 1 saat içinde bu bağlantıyı açın:\n${p.link}\n\nBu isteği siz yapmadıysanız bu e-postayı yok sayın; parolanız değişmez.`,
    }),
    en: (p) => ({
      subject: 'Reset your password',
      text: `Hello ${p.name},\n\nOpen this link within 1 hour to reset your password:\n${p.link}\n\nIf you did not ask for this, ignore this e-mail; your password stays the same.`,
    }),
  },
  setOperatorPassword: {
    tr: (p) => ({
      subject: 'Operatör hesabınız açıldı',
      text: `Merhaba ${p.name},\n\nSizin için ${p.roles} rolleriyle bir operatör hesabı açıldı. Parolanızı belirlemek için 3 gün içinde bu bağlantıyı açın:\n${p.link}`,
    }),
    en: (p) => ({
      subject: 'Your operator account is ready',
      text: `Hello ${p.name},\n\nAn operator account with the roles ${p.roles} was opened for you. Open this link within 3 days to set your password:\n${p.link}`,
    }),
  },
  invitation: {
    tr: (p) => ({
      subject: `${p.organization} sizi davet ediyor`,
      text: `Merhaba,\n\n${p.inviter}, sizi ${p.organization} kuruluşuna ${p.role} rolüyle davet etti. Daveti 7 gün içinde kabul etmek için:\n${p.link}`,
    }),
    en: (p) => ({
      subject: `${p.organization} invites you`,
      text: `Hello,\n\n${p.inviter} invited you to ${p.organization} as ${p.role}. Accept within 7 days:\n${p.link}`,
    }),
  },
  confirmEmailChange: {
    tr: (p) => ({
      subject: 'Yeni e-posta adresinizi onaylayın',
      text: `Merhaba ${p.name},\n\nHesabınızın e-posta adresini bu adresle değiştirmek için 24 saat içinde bu bağlantıyı açın:\n${p.link}`,
    }),
    en: (p) => ({
      subject: 'Confirm your new e-mail address',
      text: `Hello ${p.name},\n\nOpen this link within 24 hours to make this your account's e-mail address:\n${p.link}`,
    }),
  },
  emailChangeRequested: {
    tr: (p) => ({
      subject: 'E-posta adresi değişikliği istendi',
      text: `Merhaba ${p.name},\n\nHesabınızın e-posta adresinin ${p.newEmail} olarak değiştirilmesi istendi. Değişiklik yeni adreste onaylandığında geçerli olur. Bu isteği siz yapmadıysanız hemen parolanızı değiştirin ve bizimle iletişime geçin.`,
    }),
    en: (p) => ({
      subject: 'E-mail address change requested',
      text: `Hello ${p.name},\n\nSomeone asked to change your account's e-mail address to ${p.newEmail}. It takes effect once confirmed at the new address. If this was not you, change your password now and contact us.`,
    }),
  },
  emailChanged: {
    tr: (p) => ({
      subject: 'E-posta adresiniz değişti',
      text: `Merhaba ${p.name},\n\nHesabınızın e-posta adresi ${p.newEmail} olarak değiştirildi. Bunu siz yapmadıysanız hemen bizimle iletişime geçin.`,
    }),
    en: (p) => ({
      subject: 'Your e-mail address changed',
      text: `Hello ${p.name},\n\nYour account's e-mail address is now ${p.newEmail}. If this was not you, contact us right away.`,
    }),
  },
  documentsRequested: {
    tr: (p) => ({
      subject: 'Belge talebi: son gün ' + p.deadline,
      text: `Merhaba,\n\n${p.organization} hesabı için şu belgeler istendi: ${p.kinds}.\n${p.note}\nBelgeleri ${p.deadline} tarihine kadar (3 iş günü) yüklemezseniz hesabınız askıya alınır.`,
    }),
    en: (p) => ({
      subject: 'Documents requested: due ' + p.deadline,
      text: `Hello,\n\nThe following documents are requested for ${p.organization}: ${p.kinds}.\n${p.note}\nIf they are not uploaded by ${p.deadline} (3 business days), the account will be suspended.`,
    }),
  },
} satisfies Record<string, Localized>;

export type EmailKind = keyof typeof TEMPLATES;

export interface Outbox {
  /**
   * Hands the message to the durable e-mail workflow. `key` makes it
   * idempotent: the same key is delivered once however often it is sent.
   */
  send(kind: EmailKind, key: string, to: string, locale: Locale, params: Record<string, string>): Promise<void>;
  link(path: string, token: string): string;
}

export function createOutbox(client: Client, config: PlatformConfig, logger: Logger): Outbox {
  return {
    async send(kind, key, to, locale, params) {
      const message: EmailMessage = { to, ...TEMPLATES[kind][locale](params) };
      try {
        await startEmailWorkflow(client, `${kind}/${key}`, message);
      } catch (error) {
        // The caller's change stands; the person can ask for the e-mail again.
        logger.error({ err: error, kind, key }, 'could not queue e-mail');
      }
    },
    link: (path, token) => `${config.publicAppUrl}${path}?token=${encodeURIComponent(token)}`,
  };
}
