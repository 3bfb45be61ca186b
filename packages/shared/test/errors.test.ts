import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { userErrorsFromZod } from '../src/errors.ts';
import { createTranslator } from '../src/messages.ts';

const t = createTranslator({ INVALID_TAX_ID: { tr: 'Vergi kimlik numarası geçersiz.', en: 'The tax ID is invalid.' } });
const schema = z.object({
  name: z.string().min(1).max(5),
  taxId: z.string().refine((v) => v === '1234567890', { message: 'INVALID_TAX_ID' }),
});

describe('userErrorsFromZod', () => {
  it('gives stable codes and field paths with messages in the caller language', () => {
    const result = schema.safeParse({ name: '', taxId: '1' });
    expect(result.success).toBe(false);
    expect(userErrorsFromZod(result.error!, t, 'tr', ['input'])).toEqual([
      { code: 'REQUIRED', field: ['input', 'name'], message: 'Bu alan zorunludur.' },
      { code: 'INVALID_TAX_ID', field: ['input', 'taxId'], message: 'Vergi kimlik numarası geçersiz.' },
    ]);
    const tooLong = schema.safeParse({ name: 'abcdefg', taxId: '1234567890' });
    expect(userErrorsFromZod(tooLong.error!, t, 'en', ['input'])).toEqual([
      { code: 'TOO_LONG', field: ['input', 'name'], message: 'At most 5 characters.' },
    ]);
  });
});
