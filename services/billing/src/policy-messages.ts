/**
 * The texts of the codes the contract policy schema (lifecycle/policy.ts) and
 * the trial and prepaid rules answer with; merged into billing's translator.
 * Stable codes are the contract; texts may change.
 */
export const POLICY_MESSAGES = {
  DURATION_TOO_SHORT: { tr: 'Süre en az bir saniye olmalıdır.', en: 'The duration must be at least one second.' },
  DURATION_TOO_LONG: { tr: 'Süre en fazla 10 yıl olabilir.', en: 'The duration may be at most 10 years.' },
  MUST_BE_INTEGER: { tr: 'Tam sayı olmalıdır.', en: 'Must be a whole number.' },
  AMOUNT_TOO_LARGE: { tr: 'Tutar çok büyük.', en: 'The amount is too large.' },
  TOO_LARGE: { tr: 'Değer izin verilenden büyük.', en: 'The value is larger than allowed.' },
  DUPLICATE_CURRENCY: { tr: 'Her para birimi bir kez verilebilir.', en: 'Each currency may be given once.' },
  PAYMENT_DUE_REQUIRED: { tr: 'Havale ve peşin tahsilat için vade süresi gerekir.', en: 'Bank-transfer and advance collection need a payment due period.' },
  BUSINESS_DAYS_NEED_WHOLE_DAYS: { tr: 'İş günü sayımı için vade tam gün olmalıdır (ör. P7D).', en: 'Business-day counting needs a due period in whole days (e.g. P7D).' },
  TRIAL_REQUIRED: { tr: 'Bu alan yalnızca deneme süresi olan politikalarda kullanılabilir.', en: 'This applies only to policies with a trial.' },
  ADVANCE_ONLY: { tr: 'Bu alan yalnızca peşin (ADVANCE) tahsilatta kullanılabilir.', en: 'This applies only to advance (ADVANCE) collection.' },
  SUSPENSION_AFTER_TERMINATION: { tr: 'Askıya alma, fesihten sonra olamaz.', en: 'Suspension cannot come after termination.' },
  TERMINATION_REQUIRED: { tr: 'Fesih bildirimi için otomatik fesih süresi gerekir.', en: 'A termination notice needs an automatic termination.' },
  NOTICE_LONGER_THAN_TERMINATION: { tr: 'Fesih bildirimi, fesih süresinden uzun olamaz.', en: 'The termination notice cannot be longer than the time to termination.' },
  NOTICE_LONGER_THAN_PERIOD: { tr: 'İptal bildirim süresi, fatura döneminden uzun olamaz.', en: 'The cancellation notice cannot be longer than the billing period.' },
  HOLD_REQUIRED: { tr: 'Askıdan sayılan saklama için bir saklama süresi gerekir.', en: 'Counting the hold from suspension needs a hold period.' },
  TRIAL_ALREADY_USED: { tr: 'Bu kuruluş deneme süresini zaten kullandı.', en: 'This organisation has already had its trial.' },
  TRIAL_IN_PROGRESS: { tr: 'Bu kuruluşun süren bir deneme aboneliği var.', en: 'This organisation already has a trial running.' },
  NOT_IN_TRIAL: { tr: 'Abonelik deneme süresinde değil.', en: 'The subscription is not in its trial.' },
  CURRENCY_MISMATCH: { tr: 'Para birimi kuruluşun abonelik para birimiyle aynı olmalıdır.', en: "The currency must be the organisation's subscription currency." },
} as const;
