import { createHash } from 'node:crypto';
import type { ConsentModels } from './models.ts';

// First published versions of the two texts every person accepts at sign-up
// (ACC-1, SPEC §4). The seller's legal team replaces them by publishing new
// versions; these are only inserted when no version 1 exists.
const EFFECTIVE_AT = new Date('2026-01-01T00:00:00Z');

const INITIAL = [
  {
    kind: 'USER_AGREEMENT',
    locale: 'tr',
    body: `ÜYELİK VE HİZMET SÖZLEŞMESİ (sürüm 1)
1. Taraflar: Hizmeti sunan satıcı ile platforma üye olan müşteri.
2. Konu: Müşterinin seçtiği pakete ait yazılım hizmetinin abonelik süresince kullanımı.
3. Üyelik: 18 yaşından büyük gerçek kişiler ya da şirketi temsile yetkili kişiler üye olabilir. Bilgilerin doğru olmasından müşteri sorumludur; satıcı kimlik ve yetki belgesi isteyebilir, belgeler 3 iş günü içinde sunulmazsa hesap askıya alınabilir.
4. Ücretler: Paket bedelleri dönem başında faturalanır, KDV eklenir. Kısmi dönemler için iade yapılmaz.
5. Fesih: Müşteri, dönem sonundan önce bildirerek aboneliğini sonlandırabilir; ödeme yapılmaması hâlinde hizmet askıya alınır ve politikada belirtilen sürelerden sonra sona erer.
6. Kişisel veriler 6698 sayılı KVKK ve Aydınlatma Metni uyarınca işlenir.
7. Sözleşme değişiklikleri, ilgili politikada belirtilen bildirim süresi sonunda yürürlüğe girer.`,
  },
  {
    kind: 'USER_AGREEMENT',
    locale: 'en',
    body: `MEMBERSHIP AND SERVICE AGREEMENT (version 1)
1. Parties: the seller providing the service and the customer who signs up.
2. Subject: use of the software service of the chosen package for the subscription term.
3. Membership: persons aged 18 or over, or representatives authorised to bind a company, may sign up. The customer is responsible for accurate details; the seller may request identity and authority documents, and the account may be suspended if they are not provided within 3 business days.
4. Fees: package fees are invoiced at the start of each period, plus VAT. Partial periods are not refunded.
5. Termination: the customer may end the subscription with notice before the period ends; non-payment leads to suspension and, after the periods in the policy, termination.
6. Personal data is processed under Turkish Law No. 6698 (KVKK) and the Information Notice.
7. Changes to this agreement take effect after the notice period stated in the policy.`,
  },
  {
    kind: 'INFORMATION_NOTICE',
    locale: 'tr',
    body: `KİŞİSEL VERİLERİN İŞLENMESİNE İLİŞKİN AYDINLATMA METNİ (sürüm 1)
Veri sorumlusu sıfatıyla satıcı, 6698 sayılı Kanun'un 10. maddesi uyarınca sizi bilgilendirir:
- İşlenen veriler: ad, soyad, e-posta, telefon, T.C. kimlik ya da vergi kimlik numarası, fatura adresi, işlem ve oturum kayıtları.
- Amaçlar: üyeliğin kurulması ve sözleşmenin ifası, faturalandırma, yasal yükümlülükler, bilgi güvenliği ve destek.
- Hukuki sebepler: sözleşmenin kurulması ve ifası, hukuki yükümlülük, meşru menfaat (m. 5/2-c, ç, f); ticari ileti için açık rıza.
- Aktarım: ödeme kuruluşlarına, e-fatura hizmet sağlayıcılarına ve yetkili kamu kurumlarına, bu amaçlarla sınırlı olarak.
- Toplama yöntemi: üyelik formu ve platform kullanımı sırasında elektronik ortamda.
- Haklarınız (m. 11): verilerinizin işlenip işlenmediğini öğrenme, bilgi talep etme, amacı öğrenme, aktarılan üçüncü kişileri bilme, düzeltme, silme, itiraz ve zararın giderilmesini isteme. Başvurularınız en geç 30 gün içinde ücretsiz sonuçlandırılır.`,
  },
  {
    kind: 'INFORMATION_NOTICE',
    locale: 'en',
    body: `PRIVACY NOTICE ON THE PROCESSING OF PERSONAL DATA (version 1)
As data controller, the seller informs you under Article 10 of Turkish Law No. 6698:
- Data processed: name, surname, e-mail, phone, national or tax ID number, billing address, transaction and session records.
- Purposes: setting up the membership and performing the agreement, invoicing, legal obligations, information security and support.
- Legal grounds: formation and performance of a contract, legal obligation, legitimate interest (Art. 5/2-c, ç, f); explicit consent for marketing messages.
- Transfers: to payment institutions, e-invoice providers and competent authorities, limited to these purposes.
- Collection: electronically, through the sign-up form and use of the platform.
- Your rights (Art. 11): to learn whether your data is processed, request information, learn the purpose, know the recipients, and ask for rectification, erasure, objection and compensation. Requests are answered free of charge within 30 days.`,
  },
] as const;

export async function publishInitialLegalDocuments(models: ConsentModels): Promise<void> {
  await Promise.all(
    INITIAL.map((doc) =>
      models.LegalDocumentVersion.updateOne(
        { kind: doc.kind, locale: doc.locale, version: 1 },
        {
          $setOnInsert: {
            body: doc.body,
            contentHash: createHash('sha256').update(doc.body, 'utf8').digest('hex'),
            effectiveAt: EFFECTIVE_AT,
          },
        },
        { upsert: true },
      ),
    ),
  );
}
