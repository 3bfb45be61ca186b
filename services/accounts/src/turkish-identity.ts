import { stdnum, type Validator } from 'stdnum';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

function validator(name: 'tckimlik' | 'vkn'): Validator {
  const found = stdnum.TR?.[name];
  if (!found) throw new Error(`stdnum has no TR.${name} validator`);
  return found;
}
const tckimlik = validator('tckimlik');
/** People type numbers with spaces, dots or dashes. */
const compact = (value: string) => value.replace(/[\s.-]/g, '');
const vkn = validator('vkn');

/** A TC Kimlik No (11 digits, two check digits) in its compact form, or null when invalid (ACC-1). */
export function normalizeNationalId(value: string): string | null {
  const result = tckimlik.validate(compact(value));
  return result.isValid ? result.compact : null;
}

/** A VKN (10 digits, check digit) in its compact form, or null when invalid (ACC-1). */
export function normalizeTaxId(value: string): string | null {
  const result = vkn.validate(compact(value));
  return result.isValid ? result.compact : null;
}

/** E.164 form of a phone number, read as Turkish when it has no country code; null when invalid. */
export function normalizePhone(value: string): string | null {
  const phone = parsePhoneNumberFromString(value, 'TR');
  return phone?.isValid() ? phone.number : null;
}
