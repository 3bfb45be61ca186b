import { describe, expect, it } from 'vitest';
import { signUpInput } from '../../src/inputs.ts';
import { normalizeResource } from '../../src/licensed-resources.ts';
import { passwordProblem } from '../../src/password-policy.ts';
import { normalizeNationalId, normalizePhone, normalizeTaxId } from '../../src/turkish-identity.ts';

describe('ACC-1 Turkish identity numbers and phones', () => {
  it('accepts checksummed TCKN and VKN in compact form and rejects bad check digits', () => {
    expect(normalizeNationalId('100 000 001 46')).toBe('10000000146');
    expect(normalizeNationalId('10000000147')).toBeNull();
    expect(normalizeNationalId('01234567890')).toBeNull(); // a TCKN never starts with 0
    expect(normalizeTaxId('123 456 7890')).toBe('1234567890');
    expect(normalizeTaxId('1234567891')).toBeNull();
  });

  it('normalises Turkish phone numbers to E.164', () => {
    expect(normalizePhone('0532 123 45 67')).toBe('+905321234567');
    expect(normalizePhone('+90 (212) 555 12 12')).toBe('+902125551212');
    expect(normalizePhone('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhone('0532 123')).toBeNull();
  });

  it('reports every identity problem of a sign-up with its field', () => {
    const result = signUpInput.safeParse({
      firstName: 'A', lastName: 'B', email: 'a@example.com', password: 'x', phone: '0532 123 45 67', companyName: 'C',
      customerType: 'CORPORATE', nationalId: '10000000146', taxId: null, taxOffice: null,
      billingAddress: { line1: 'x', city: 'y', country: 'tr' }, ageConfirmed: true, acceptedDocumentVersionIds: [],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['authorityConfirmed', 'AUTHORITY_CONFIRMATION_REQUIRED'],
      ['taxId', 'REQUIRED'],
      ['taxOffice', 'REQUIRED'],
      ['nationalId', 'NOT_ALLOWED_FOR_CUSTOMER_TYPE'],
    ]);
  });
});

describe('ACC-4 password policy', () => {
  it('asks for length, not composition, and refuses passwords built from the person', () => {
    expect(passwordProblem('short')).toBe('TOO_SHORT');
    expect(passwordProblem('x'.repeat(129))).toBe('TOO_LONG');
    expect(passwordProblem('aaaaaaaaaaaa')).toBe('WEAK_PASSWORD');
    expect(passwordProblem('Password123')).toBe('WEAK_PASSWORD');
    expect(passwordProblem('ayşe-yılmaz-2026', { firstName: 'Ayşe' })).toBe('WEAK_PASSWORD');
    expect(passwordProblem('mehmet.k-1990!', { email: 'mehmet.k@example.com' })).toBe('WEAK_PASSWORD');
    expect(passwordProblem('kestane bal ormanı', { firstName: 'Ayşe', email: 'a@example.com' })).toBeNull();
  });
});

describe('ACC-11 licensed resources', () => {
  it('canonicalises websites, domains and numbers so one resource has one claim', () => {
    expect(normalizeResource('WEBSITE', 'https://www.Magaza.com.tr/shop?x=1')).toBe('magaza.com.tr');
    expect(normalizeResource('WEBSITE', 'magaza.com.tr')).toBe('magaza.com.tr');
    expect(normalizeResource('DOMAIN', 'Lisans.Example.COM.')).toBe('lisans.example.com');
    expect(normalizeResource('DOMAIN', 'not a domain')).toBeNull();
    expect(normalizeResource('PHONE_NUMBER', '0850 123 45 67')).toBe('+908501234567');
  });
});
