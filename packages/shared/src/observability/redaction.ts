/**
 * Personal data and secrets never reach the logs (KVKK art. 12): these keys
 * are replaced by "[REDACTED]" wherever they sit in a logged object, down to
 * three levels (e.g. `{ input: { user: { email } } }`).
 */
const SENSITIVE_KEYS = [
  'email',
  'emailAddress',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
  'phone',
  'phoneNumber',
  'tckn',
  'vkn',
  'taxNumber',
  'identityNumber',
  'nationalId',
  'iban',
  'cardNumber',
  'ip',
  'ipAddress',
  'remoteAddress',
  'x-forwarded-for',
];

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

export const REDACTED_LOG_PATHS: string[] = SENSITIVE_KEYS.flatMap((name) => [
  key(name).replace(/^\./, ''),
  `*${key(name)}`,
  `*.*${key(name)}`,
  `*.*.*${key(name)}`,
]);
