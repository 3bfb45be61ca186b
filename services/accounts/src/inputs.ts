import { z } from 'zod';
import { CUSTOMER_TYPES } from './models.ts';
import { normalizeNationalId, normalizePhone, normalizeTaxId } from './turkish-identity.ts';

// zod schemas for mutation inputs. An UPPER_SNAKE message is the userError code
// (see userErrorsFromZod); the field path comes from the schema shape.

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((value) => value || null);

export const emailAddress = z.string().trim().toLowerCase().max(254).pipe(z.email({ error: 'INVALID_EMAIL' }));

export const phoneNumber = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const e164 = normalizePhone(value);
    if (!e164) ctx.addIssue({ code: 'custom', message: 'INVALID_PHONE' });
    return e164 ?? value;
  });

export const addressInput = z.object({
  line1: text(200),
  line2: optionalText(200),
  district: optionalText(100),
  city: text(100),
  postalCode: optionalText(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, { error: 'INVALID_COUNTRY' }),
});

/**
 * The customer's commercial identity (ACC-1): individuals and sole proprietors
 * give a TC Kimlik No; a company gives a VKN and its tax office. Numbers come
 * back in compact form, checksums verified.
 */
export const customerIdentityFields = {
  companyName: text(200),
  customerType: z.enum(CUSTOMER_TYPES),
  nationalId: optionalText(20),
  taxId: optionalText(20),
  taxOffice: optionalText(100),
  billingAddress: addressInput,
};

export type CustomerIdentity = {
  companyName: string;
  customerType: (typeof CUSTOMER_TYPES)[number];
  nationalId: string | null;
  taxId: string | null;
  taxOffice: string | null;
  billingAddress: z.infer<typeof addressInput>;
};

type IdentityShape = { customerType: (typeof CUSTOMER_TYPES)[number]; nationalId: string | null; taxId: string | null; taxOffice: string | null };

export function checkCustomerIdentity<T extends IdentityShape>(value: T, ctx: z.RefinementCtx): T {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (value.customerType === 'CORPORATE') {
    if (!value.taxId) issue('taxId', 'REQUIRED');
    else {
      const vkn = normalizeTaxId(value.taxId);
      if (vkn) value.taxId = vkn;
      else issue('taxId', 'INVALID_TAX_ID');
    }
    if (!value.taxOffice) issue('taxOffice', 'REQUIRED');
    if (value.nationalId) issue('nationalId', 'NOT_ALLOWED_FOR_CUSTOMER_TYPE');
  } else {
    if (!value.nationalId) issue('nationalId', 'REQUIRED');
    else {
      const tckn = normalizeNationalId(value.nationalId);
      if (tckn) value.nationalId = tckn;
      else issue('nationalId', 'INVALID_NATIONAL_ID');
    }
    if (value.taxId) issue('taxId', 'NOT_ALLOWED_FOR_CUSTOMER_TYPE');
    if (value.taxOffice) issue('taxOffice', 'NOT_ALLOWED_FOR_CUSTOMER_TYPE');
  }
  return value;
}

/** Attestations and acceptances every new person gives (ACC-2, consent). */
export const newPersonFields = {
  firstName: text(100),
  lastName: text(100),
  password: z.string().max(1024),
  ageConfirmed: z.boolean().refine((v) => v, { error: 'AGE_CONFIRMATION_REQUIRED' }),
  acceptedDocumentVersionIds: z.array(z.string().max(64)).max(20),
  marketingEmailOptIn: z.boolean().nullish().transform((v) => v ?? false),
  locale: z.enum(['tr', 'en']).nullish(),
};

export const signUpInput = z
  .object({
    ...newPersonFields,
    ...customerIdentityFields,
    email: emailAddress,
    phone: phoneNumber,
    promoCode: optionalText(64),
    authorityConfirmed: z.boolean().nullish(),
    referralPartnerCode: optionalText(32),
  })
  .transform((value, ctx) => {
    if (value.customerType === 'CORPORATE' && value.authorityConfirmed !== true) {
      ctx.addIssue({ code: 'custom', path: ['authorityConfirmed'], message: 'AUTHORITY_CONFIRMATION_REQUIRED' });
    }
    return checkCustomerIdentity(value, ctx);
  });
export type SignUpInput = z.infer<typeof signUpInput>;

/** A customer organisation created by a partner for someone who will own it (ACC-9). */
export const referredCustomerInput = z
  .object({
    ...customerIdentityFields,
    ownerEmail: emailAddress,
    ownerFirstName: text(100),
    ownerLastName: text(100),
    locale: z.enum(['tr', 'en']).nullish(),
  })
  .transform(checkCustomerIdentity);
export type ReferredCustomerInput = z.infer<typeof referredCustomerInput>;

export const acceptInvitationInput = z.object({
  token: z.string().max(200),
  firstName: text(100).nullish(),
  lastName: text(100).nullish(),
  password: z.string().max(1024).nullish(),
  ageConfirmed: z.boolean().nullish(),
  authorityConfirmed: z.boolean().nullish(),
  acceptedDocumentVersionIds: z.array(z.string().max(64)).max(20).nullish(),
  marketingEmailOptIn: z.boolean().nullish(),
});
