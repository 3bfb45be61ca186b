import { createTranslator } from '@omurga/shared';

// Stable codes are the contract; texts may change.
export const t = createTranslator({
  DATA_SUBJECT_REQUEST_NOT_FOUND: { tr: 'Başvuru bulunamadı.', en: 'Data-subject request not found.' },
  INVALID_TRANSITION: {
    tr: 'Başvuru {status} durumundayken bu adım yapılamaz.',
    en: 'This step is not possible while the request is {status}.',
  },
});
