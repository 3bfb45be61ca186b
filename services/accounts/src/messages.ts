import { createTranslator } from '@omurga/shared';

export const t = createTranslator({
  INVALID_CREDENTIALS: { tr: 'E-posta adresi ya da parola hatalı.', en: 'The e-mail address or password is wrong.' },
});
