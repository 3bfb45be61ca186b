import { createTranslator } from '@omurga/shared';

// Stable codes are the contract; texts may change.
export const t = createTranslator({
  TICKET_NOT_FOUND: { tr: 'Destek talebi bulunamadı.', en: 'Ticket not found.' },
  INVALID_DEPARTMENT: { tr: 'Geçersiz departman; şunlardan biri olmalı: {allowed}.', en: 'Unknown department; use one of: {allowed}.' },
  TICKET_CLOSED: { tr: 'Bu talep kapatılmış.', en: 'This ticket is closed.' },
  INVALID_TRANSITION: { tr: 'Talep şu anki durumunda ({status}) bu işleme uygun değil.', en: 'The ticket cannot do this in its current state ({status}).' },
  NOT_CLOSED: { tr: 'Yalnızca kapatılmış talepler puanlanabilir.', en: 'Only closed tickets can be rated.' },
  ALREADY_RATED: { tr: 'Bu talep zaten puanlandı.', en: 'This ticket has already been rated.' },
  INVALID_RATING: { tr: 'Puan 1 ile 5 arasında olmalı.', en: 'The rating must be between 1 and 5.' },
  CANNED_RESPONSE_NOT_FOUND: { tr: 'Hazır yanıt bulunamadı.', en: 'Canned response not found.' },
  SUBSCRIPTION_NOT_FOUND: { tr: 'Abonelik bulunamadı.', en: 'Subscription not found.' },
  SUBSCRIPTION_REQUIRED: { tr: 'Kurulum talebi için abonelik seçilmeli.', en: 'An installation request needs a subscription.' },
  INSTALLATION_WINDOW_CLOSED: {
    tr: 'Ücretsiz kurulum talebi siparişten sonraki {days} gün içinde yapılabilir.',
    en: 'Free installation can be requested within {days} days of the order.',
  },
  BILLING_UNAVAILABLE: { tr: 'Abonelik bilgisi şu anda alınamıyor; lütfen tekrar deneyin.', en: 'Subscription details are unavailable right now; please try again.' },
  INVALID_DURATION: { tr: 'ISO-8601 süre olmalı (ör. PT2H).', en: 'Must be an ISO-8601 duration (e.g. PT2H).' },
  INVALID_WINDOW: { tr: 'Bitiş başlangıçtan sonra olmalı.', en: 'The end must be after the start.' },
  AGENT_NOT_FOUND: { tr: 'Temsilci bulunamadı.', en: 'Agent not found.' },
  ATTACHMENT_TOO_LARGE: { tr: 'Dosya en fazla {maxMb} MB olabilir.', en: 'The file may be at most {maxMb} MB.' },
  ATTACHMENT_TYPE_NOT_ALLOWED: { tr: 'Yalnızca PDF, PNG, JPEG ve düz metin dosyaları eklenebilir.', en: 'Only PDF, PNG, JPEG and plain-text files can be attached.' },
  NOT_FLAGGED: { tr: 'Bu talep uygunsuz ifade için işaretli değil.', en: 'This ticket is not flagged for abusive language.' },
  CANNED_RESPONSE_FOR_AGENTS: { tr: 'Hazır yanıtları yalnızca temsilciler kullanabilir.', en: 'Only agents can use canned responses.' },
  ALREADY_CONVERTED: { tr: 'Bu talep zaten bir KVKK başvurusuna dönüştürüldü.', en: 'This ticket has already been converted into a data-subject request.' },
  OPENER_NOT_A_PERSON: {
    tr: 'Bu talebi bir iş ortağı açtı; KVKK başvurusu yalnızca ilgili kişinin kendi talebinden oluşturulabilir.',
    en: 'A partner opened this ticket; only a ticket the person opened can become their data-subject request.',
  },
  INVALID_BASE64: { tr: 'Dosya içeriği geçerli base64 değil.', en: 'The file content is not valid base64.' },
});
