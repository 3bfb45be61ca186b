/**
 * ACC-4 password policy, after NIST SP 800-63B: length over composition rules,
 * and no password built from the person's own e-mail or name.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON = new Set(['password123', 'qwertyuiop', '1234567890', 'parola1234', 'sifre12345', '0123456789', 'password1234']);

export function passwordProblem(password: string, person: { email?: string; firstName?: string; lastName?: string } = {}): 'TOO_SHORT' | 'TOO_LONG' | 'WEAK_PASSWORD' | null {
  if (password.length < PASSWORD_MIN_LENGTH) return 'TOO_SHORT';
  if (password.length > PASSWORD_MAX_LENGTH) return 'TOO_LONG';
  const lower = password.toLocaleLowerCase('tr');
  if (COMMON.has(lower) || new Set(lower).size < 4) return 'WEAK_PASSWORD';
  const personal = [person.email?.split('@')[0], person.firstName, person.lastName]
    .map((part) => part?.toLocaleLowerCase('tr').trim())
    .filter((part): part is string => !!part && part.length >= 3);
  if (personal.some((part) => lower.includes(part))) return 'WEAK_PASSWORD';
  return null;
}
