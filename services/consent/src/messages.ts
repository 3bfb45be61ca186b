import { createTranslator } from '@omurga/shared';

// Stable codes are the contract; texts may change.
export const t = createTranslator({
  DATA_SUBJECT_REQUEST_NOT_FOUND: { tr: 'Başvuru bulunamadı.', en: 'Data-subject request not found.' },
  RESULT_NOT_READY: {
    tr: 'Başvurunun sonucu (veri dökümü ya da imha tutanağı) henüz hazır değil; hazır olunca yanıtlayın.',
    en: 'The result of the request (data export or destruction record) is not ready yet; answer once it is.',
  },
  ORGANIZATION_NOT_FOUND: { tr: 'Kurum bulunamadı.', en: 'Organisation not found.' },
  INVALID_TRANSITION: {
    tr: 'Başvuru {status} durumundayken bu adım yapılamaz.',
    en: 'This step is not possible while the request is {status}.',
  },
});
