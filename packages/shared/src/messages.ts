import type { Locale } from './locale.ts';

export type MessageCatalog = Record<string, Record<Locale, string>>;

// Messages every service can raise. Services add their own catalogues with
// createTranslator(); the codes are the stable contract, the texts are not.
export const commonMessages = {
  UNAUTHENTICATED: { tr: 'Bu işlem için oturum açmanız gerekiyor.', en: 'You need to sign in for this.' },
  INVALID_TOKEN: { tr: 'Oturum anahtarı geçersiz ya da süresi dolmuş.', en: 'The access token is invalid or expired.' },
  FORBIDDEN: { tr: 'Bu işlem için yetkiniz yok.', en: 'You are not allowed to do this.' },
  BAD_USER_INPUT: { tr: 'İstek geçersiz: {detail}', en: 'Invalid request: {detail}' },
  INTERNAL_SERVER_ERROR: {
    tr: 'Beklenmeyen bir hata oluştu. Lütfen daha sonra tekrar deneyin.',
    en: 'Something went wrong on our side. Please try again later.',
  },
  SUBGRAPH_UNAVAILABLE: {
    tr: '{service} hizmetine şu anda ulaşılamıyor; yanıtın bu kısmı eksik. Lütfen biraz sonra tekrar deneyin.',
    en: 'The {service} service is unavailable right now; this part of the answer is missing. Please try again shortly.',
  },
  INVALID_VALUE: { tr: 'Geçersiz değer.', en: 'Invalid value.' },
  REQUIRED: { tr: 'Bu alan zorunludur.', en: 'This field is required.' },
  TOO_LONG: { tr: 'En fazla {max} karakter olabilir.', en: 'At most {max} characters.' },
  TOO_SHORT: { tr: 'En az {min} karakter olmalıdır.', en: 'At least {min} characters.' },
} satisfies MessageCatalog;

export type Translator = (code: string, locale: Locale, params?: Record<string, string | number>) => string;

export function createTranslator(...catalogs: MessageCatalog[]): Translator {
  const merged: MessageCatalog = Object.assign({}, commonMessages, ...catalogs);
  return (code, locale, params = {}) => {
    const template = merged[code]?.[locale] ?? merged[code]?.en ?? code;
    return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
  };
}

export const translate = createTranslator();
