import { createTranslator } from '@omurga/shared';
import { POLICY_MESSAGES } from './policy-messages.ts';

// Stable codes are the contract; texts may change.
export const t = createTranslator({
  ...POLICY_MESSAGES,
  PLAN_NOT_FOUND: { tr: 'Bu kodla satışta bir paket yok.', en: 'There is no plan on sale with this code.' },
  POLICY_NOT_FOUND: { tr: 'Bu kodla bir sözleşme politikası yok.', en: 'There is no contract policy with this code.' },
  UNSUPPORTED_CURRENCY: { tr: 'Para birimi TRY ya da USD olmalıdır.', en: 'The currency must be TRY or USD.' },
  NO_PRICE_IN_CURRENCY: { tr: 'Bu paketin {currency} fiyatı yok.', en: 'This plan has no price in {currency}.' },
  UNKNOWN_ADD_ON: { tr: 'Bu pakette böyle bir ek hizmet yok.', en: 'This plan has no such add-on.' },
  UNKNOWN_ONE_OFF_FEE: { tr: 'Bu pakette böyle bir tek seferlik ücret yok.', en: 'This plan has no such one-off fee.' },
  PAYMENT_METHOD_REQUIRED: {
    tr: 'Bu abonelik için önce bir ödeme yöntemi eklemeniz gerekiyor.',
    en: 'This subscription needs a payment method first.',
  },
  CARD_NUMBER_NOT_ACCEPTED: {
    tr: 'Kart numarası gönderilemez; ödeme kuruluşunun verdiği kart anahtarını (token) kullanın.',
    en: 'Card numbers are not accepted; send the token your payment provider issued.',
  },
  PAYMENT_DECLINED: { tr: 'Ödeme kuruluşu kartı reddetti.', en: 'The payment provider declined the card.' },
  PAYMENT_PENDING: {
    tr: 'Ödeme kuruluşu zamanında yanıt vermedi; aynı işlemi tekrarlayın, iki kez çekilmez.',
    en: 'The payment provider did not answer in time; repeat the same request, it is never charged twice.',
  },
  INVALID_IDEMPOTENCY_KEY: { tr: 'İşlem anahtarı 8–100 harf, rakam, tire ya da alt çizgi olmalıdır.', en: 'The request key must be 8–100 letters, digits, dashes or underscores.' },
  INVALID_PAYMENT_TOKEN: { tr: 'Ödeme anahtarı geçersiz.', en: 'The payment token is invalid.' },
  SUBSCRIPTION_EXISTS: { tr: 'Bu kuruluşun bu pakette süren bir aboneliği zaten var.', en: 'The organisation already has a live subscription to this plan.' },
  SUBSCRIPTION_ENDED: { tr: 'Abonelik sona ermiş.', en: 'The subscription has ended.' },
  SUBSCRIPTION_NOT_FOUND: { tr: 'Abonelik bulunamadı.', en: 'Subscription not found.' },
  SAME_PLAN: { tr: 'Abonelik zaten bu pakette.', en: 'The subscription is already on this plan.' },
  INVOICE_NOT_FOUND: { tr: 'Fatura bulunamadı.', en: 'Invoice not found.' },
  INVOICE_ALREADY_PAID: { tr: 'Fatura zaten ödenmiş.', en: 'The invoice is already paid.' },
  EINVOICE_NOT_AVAILABLE: { tr: 'Bu fatura e-fatura olarak gönderilemez (ETTN yok ya da entegratör ayarlanmamış).', en: 'This invoice cannot be sent as an e-invoice (it has no ETTN, or no integrator is configured).' },
  INVOICE_NOT_PAID: { tr: 'Fatura ödenmemiş; itiraz yalnızca ödenmiş faturaya yapılabilir.', en: 'The invoice is not paid; only a paid invoice can be charged back.' },
  INVALID_DURATION: { tr: 'ISO-8601 süre olmalıdır (ör. P14D, P1M, PT30S).', en: 'Must be an ISO-8601 duration (e.g. P14D, P1M, PT30S).' },
  INVALID_CODE: {
    tr: 'Kod harf, rakam ve tire içerebilir (2–64 karakter).',
    en: 'Codes may contain letters, digits and dashes (2–64 characters).',
  },
  DUPLICATE_CODE: { tr: 'Bu kod listede birden fazla kez geçiyor.', en: 'This code appears more than once.' },
  MUST_BE_POSITIVE: { tr: 'Pozitif bir tam sayı olmalıdır.', en: 'Must be a positive whole number.' },
  MUST_NOT_BE_NEGATIVE: { tr: 'Negatif olamaz.', en: 'Must not be negative.' },
  TOO_LARGE: { tr: 'İzin verilen üst sınırı aşıyor.', en: 'Exceeds the allowed maximum.' },
  UNKNOWN_METER: { tr: 'Bu pakette böyle bir ölçüm yok.', en: 'This plan has no such meter.' },
  INVALID_QUANTITY: { tr: 'Miktar pozitif bir tam sayı olmalıdır.', en: 'The quantity must be a positive whole number.' },
  PREPAID_BALANCE_BELOW_MINIMUM: {
    tr: 'Ön ödemeli bakiye asgari tutarın altında; lütfen bakiye yükleyin.',
    en: 'The prepaid balance is below the minimum; please top it up.',
  },
  SUBSCRIPTION_NOT_ACTIVE: { tr: 'Abonelik etkin değil.', en: 'The subscription is not active.' },
});
