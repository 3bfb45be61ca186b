import { createTranslator } from '@omurga/shared';

// Stable codes are the contract; texts may change.
export const t = createTranslator({
  INVALID_CREDENTIALS: { tr: 'E-posta adresi ya da parola hatalı.', en: 'The e-mail address or password is wrong.' },
  EMAIL_NOT_VERIFIED: {
    tr: 'E-posta adresiniz henüz doğrulanmadı. Size gönderdiğimiz bağlantıyı kullanın.',
    en: 'Your e-mail address is not verified yet. Use the link we sent you.',
  },
  TOO_MANY_ATTEMPTS: {
    tr: 'Çok fazla başarısız deneme. Lütfen {minutes} dakika sonra tekrar deneyin.',
    en: 'Too many failed attempts. Please try again in {minutes} minutes.',
  },
  INVALID_EMAIL: { tr: 'Geçerli bir e-posta adresi girin.', en: 'Enter a valid e-mail address.' },
  EMAIL_TAKEN: { tr: 'Bu e-posta adresiyle bir hesap zaten var.', en: 'An account with this e-mail address already exists.' },
  SAME_EMAIL: { tr: 'Yeni adres mevcut adresinizle aynı.', en: 'The new address is the same as the current one.' },
  WEAK_PASSWORD: {
    tr: 'Parola çok kolay tahmin edilebilir; adınızı ya da e-posta adresinizi içermeyen daha uzun bir parola seçin.',
    en: 'The password is too easy to guess; choose a longer one without your name or e-mail address.',
  },
  INVALID_PHONE: { tr: 'Geçerli bir telefon numarası girin.', en: 'Enter a valid phone number.' },
  INVALID_NATIONAL_ID: { tr: 'T.C. Kimlik No geçersiz.', en: 'The Turkish national ID number (TCKN) is invalid.' },
  INVALID_TAX_ID: { tr: 'Vergi Kimlik No (VKN) geçersiz.', en: 'The tax ID number (VKN) is invalid.' },
  NOT_ALLOWED_FOR_CUSTOMER_TYPE: {
    tr: 'Bu alan seçilen müşteri türü için kullanılmaz.',
    en: 'This field does not apply to the chosen customer type.',
  },
  INVALID_COUNTRY: { tr: 'Ülke iki harfli ISO kodu olmalıdır (ör. TR).', en: 'The country must be a two-letter ISO code (e.g. TR).' },
  AGE_CONFIRMATION_REQUIRED: {
    tr: '18 yaşından büyük olduğunuzu (ya da velinizle işlem yaptığınızı) onaylamanız gerekiyor.',
    en: 'You must confirm you are 18 or older (or acting through a guardian).',
  },
  AUTHORITY_CONFIRMATION_REQUIRED: {
    tr: 'Şirketi temsil ve ilzama yetkili olduğunuzu beyan etmeniz gerekiyor.',
    en: 'You must declare that you are authorised to bind the company.',
  },
  DOCUMENT_NOT_ACCEPTED: {
    tr: 'Yürürlükteki {kind} metnini kabul etmeniz gerekiyor.',
    en: 'You must accept the current {kind}.',
  },
  LEGAL_DOCUMENTS_UNAVAILABLE: {
    tr: 'Sözleşme metinlerine şu anda ulaşılamıyor. Lütfen biraz sonra tekrar deneyin.',
    en: 'The legal documents are unavailable right now. Please try again shortly.',
  },
  UNKNOWN_PARTNER_CODE: { tr: 'Bu iş ortağı kodu tanınmıyor.', en: 'This partner code is not recognised.' },
  SESSION_NOT_FOUND: { tr: 'Oturum bulunamadı ya da zaten kapalı.', en: 'Session not found or already ended.' },
  INVALID_OR_EXPIRED_TOKEN: {
    tr: 'Bağlantı geçersiz, kullanılmış ya da süresi dolmuş.',
    en: 'The link is invalid, already used or expired.',
  },
  INVALID_REFRESH_TOKEN: {
    tr: 'Oturumunuz sona erdi. Lütfen yeniden giriş yapın.',
    en: 'Your session has ended. Please sign in again.',
  },
  INVALID_API_KEY: { tr: 'API anahtarı geçersiz ya da iptal edilmiş.', en: 'The API key is invalid or revoked.' },
  ACCOUNT_SUSPENDED: { tr: 'Hesap askıya alınmış.', en: 'The account is suspended.' },
  NOT_A_PARTNER: {
    tr: 'Bu kuruluş iş ortaklığı programında değil.',
    en: 'This organisation is not in the partner programme.',
  },
  DUPLICATE_REFERENCE: { tr: 'Bu referans içe aktarımda birden fazla kez geçiyor.', en: 'This reference appears more than once in the import.' },
  TOO_MANY_ROWS: { tr: 'Bir içe aktarımda en fazla {max} satır olabilir.', en: 'An import takes at most {max} rows.' },
  INVALID_SCOPE: { tr: 'Tanınmayan yetki kapsamı: {scope}.', en: 'Unknown scope: {scope}.' },
  LAST_OWNER: {
    tr: 'Kuruluşun son sahibi kaldırılamaz ya da rolü değiştirilemez.',
    en: 'The last owner of an organisation cannot be removed or demoted.',
  },
  NOT_A_MEMBER: { tr: 'Bu kişi kuruluşun üyesi değil.', en: 'This person is not a member of the organisation.' },
  SIGN_IN_REQUIRED: {
    tr: 'Bu davet mevcut bir hesaba ait. Daveti kabul etmek için o hesapla giriş yapın.',
    en: 'This invitation is for an existing account. Sign in with it to accept.',
  },
  FILE_TOO_LARGE: { tr: 'Dosya en fazla {max} MB olabilir.', en: 'The file may be at most {max} MB.' },
  UNSUPPORTED_FILE_TYPE: { tr: 'Yalnızca PDF, PNG ya da JPEG yükleyebilirsiniz.', en: 'Only PDF, PNG or JPEG files are accepted.' },
  DOCUMENT_NOT_REQUESTED: { tr: 'Bu belge türü istenmedi.', en: 'This kind of document was not requested.' },
  REQUEST_CLOSED: { tr: 'Bu belge talebi kapanmış.', en: 'This document request is closed.' },
  INVALID_RESOURCE: { tr: 'Geçersiz {kind} değeri.', en: 'Invalid {kind} value.' },
  RESOURCE_TAKEN: { tr: 'Bu kaynak başka bir hesaba bağlı.', en: 'This resource is bound to another account.' },
  INVALID_TRANSITION: { tr: 'Hesap bu durumdayken bu işlem yapılamaz.', en: 'This is not possible in the account’s current state.' },
  INVALID_SUSPENSION_REASON: {
    tr: 'Askı nedeni şunlardan biri olmalıdır: {reasons}.',
    en: 'The suspension reason must be one of: {reasons}.',
  },
  UNKNOWN_EVENT_TYPE: { tr: 'Tanınmayan olay türü: {type}.', en: 'Unknown event type: {type}.' },
  WEBHOOK_ENDPOINT_NOT_FOUND: { tr: 'Webhook uç noktası bulunamadı.', en: 'Webhook endpoint not found.' },
  WEBHOOK_DELIVERY_NOT_FOUND: { tr: 'Webhook teslimatı bulunamadı.', en: 'Webhook delivery not found.' },
  CONCURRENT_UPDATE: { tr: 'Kayıt aynı anda değiştirildi; lütfen tekrar deneyin.', en: 'The record changed meanwhile; please try again.' },
  TOO_MANY_WEBHOOK_ENDPOINTS: { tr: 'En fazla {max} webhook uç noktası kaydedilebilir.', en: 'At most {max} webhook endpoints can be registered.' },
});
