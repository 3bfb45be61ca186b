import type { Express, Request, Response } from 'express';
import { formBody } from '@omurga/shared';
import type { Connection } from 'mongoose';
import { CAPTURE_TOKEN } from './card-capture.ts';
import { page, escapeHtml, returnToMerchant } from './card-pages.ts';
import {
  SANDBOX_3DS_CODE,
  SANDBOX_3DS_MAX_ATTEMPTS,
  SANDBOX_CARDS,
  cardBrand,
  passesLuhn,
  sandboxCardSessionModel,
  sandboxCardToken,
  type SandboxCardSessionDoc,
} from './sandbox-card-capture.ts';

/**
 * The sandbox provider's hosted pages (issue 15), standing in for iyzico's
 * checkout form: the card form, then a 3-D Secure code, then the browser is
 * sent back to Omurga's callback with the session token (a form POST, as
 * iyzico does). Plain HTML forms, so any browser, or a test with fetch, can
 * drive it. The card number, expiry and CVC are checked and never stored.
 */
export const SANDBOX_CARD_PAGE_PATH = '/card-capture/sandbox/:token';

type Locale = 'tr' | 'en';
const TEXT = {
  title: { tr: 'Kart bilgileri (sandbox ödeme kuruluşu)', en: 'Card details (sandbox payment provider)' },
  holder: { tr: 'Kart üzerindeki ad', en: 'Name on card' },
  number: { tr: 'Kart numarası', en: 'Card number' },
  expiry: { tr: 'Son kullanma (AA/YY)', en: 'Expiry (MM/YY)' },
  cvc: { tr: 'Güvenlik kodu (CVC)', en: 'Security code (CVC)' },
  save: { tr: 'Kartı kaydet', en: 'Save card' },
  hint: {
    tr: `Test kartları: ${SANDBOX_CARDS.visa} (onay), ${SANDBOX_CARDS.declined} (red). Kart numarası Omurga'ya gönderilmez.`,
    en: `Test cards: ${SANDBOX_CARDS.visa} (approved), ${SANDBOX_CARDS.declined} (declined). The card number never reaches Omurga.`,
  },
  invalid: { tr: 'Kart bilgileri geçersiz: numara, son kullanma tarihi ve CVC\'yi kontrol edin.', en: 'The card details are not valid: check the number, expiry date and CVC.' },
  threeDs: { tr: '3-D Secure doğrulaması', en: '3-D Secure verification' },
  codeLabel: { tr: 'Bankanızın gönderdiği tek kullanımlık kod', en: 'The one-time code your bank sent' },
  codeHint: { tr: `Sandbox kodu: ${SANDBOX_3DS_CODE}`, en: `Sandbox code: ${SANDBOX_3DS_CODE}` },
  wrongCode: { tr: 'Kod hatalı, tekrar deneyin.', en: 'Wrong code, try again.' },
  verify: { tr: 'Doğrula', en: 'Verify' },
  gone: { tr: 'Bu kart kaydı oturumu yok ya da süresi dolmuş.', en: 'This card session does not exist or has expired.' },
} as const;
const tr = (key: keyof typeof TEXT, locale: Locale) => TEXT[key][locale];

function cardForm(session: SandboxCardSessionDoc, error: string | null): string {
  const l = (session.locale === 'en' ? 'en' : 'tr') as Locale;
  const field = (name: string, label: string, attrs: string) => `<label>${label}<br><input name="${name}" ${attrs} required></label><br>`;
  return page(
    tr('title', l),
    `${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/card-capture/sandbox/${session.token}">
${field('cardHolderName', tr('holder', l), 'autocomplete="cc-name" maxlength="100"')}
${field('cardNumber', tr('number', l), 'autocomplete="cc-number" inputmode="numeric" maxlength="23"')}
${field('expiry', tr('expiry', l), 'autocomplete="cc-exp" maxlength="7" placeholder="12/30"')}
${field('cvc', tr('cvc', l), 'autocomplete="cc-csc" inputmode="numeric" maxlength="4"')}
<button type="submit">${tr('save', l)}</button>
</form>
<p><small>${escapeHtml(tr('hint', l))}</small></p>`,
  );
}

function threeDsForm(session: SandboxCardSessionDoc, error: string | null): string {
  const l = (session.locale === 'en' ? 'en' : 'tr') as Locale;
  return page(
    tr('threeDs', l),
    `<p>${escapeHtml(session.cardLabel ?? '')}</p>${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/card-capture/sandbox/${session.token}/3ds">
<label>${tr('codeLabel', l)}<br><input name="code" autocomplete="one-time-code" inputmode="numeric" maxlength="6" required></label><br>
<button type="submit">${tr('verify', l)}</button>
</form>
<p><small>${tr('codeHint', l)}</small></p>`,
  );
}

/** MM/YY or MM/YYYY not in the past. */
function validExpiry(text: string, now: Date): boolean {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return false;
  const month = Number(match[1]);
  const year = match[2]!.length === 2 ? 2000 + Number(match[2]) : Number(match[2]);
  if (month < 1 || month > 12) return false;
  return year * 12 + month >= now.getUTCFullYear() * 12 + now.getUTCMonth() + 1;
}

function send(res: Response, status: number, html: string): void {
  res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' }).send(html);
}

export function sandboxCardPageRoutes(db: Connection): (app: Express) => void {
  const sessions = sandboxCardSessionModel(db);
  const form = formBody();

  async function open(req: Request, res: Response, status: SandboxCardSessionDoc['status']): Promise<SandboxCardSessionDoc | null> {
    const token = String(req.params.token);
    const session = CAPTURE_TOKEN.test(token) ? await sessions.findOne({ token }).lean() : null;
    const locale: Locale = session?.locale === 'en' ? 'en' : 'tr';
    if (!session || session.expiresAt.getTime() <= Date.now()) {
      send(res, 404, page(tr('gone', locale), `<p>${tr('gone', locale)}</p>`));
      return null;
    }
    if (session.status === 'CAPTURED' || session.status === 'FAILED') {
      send(res, 200, returnToMerchant(session.callbackUrl, session.token, locale));
      return null;
    }
    if (session.status !== status) {
      send(res, 200, session.status === 'FORM' ? cardForm(session, null) : threeDsForm(session, null));
      return null;
    }
    return session;
  }

  return (app) => {
    app.get(SANDBOX_CARD_PAGE_PATH, async (req, res) => {
      const session = await open(req, res, 'FORM');
      if (session) send(res, 200, cardForm(session, null));
    });

    app.post(SANDBOX_CARD_PAGE_PATH, form, async (req, res) => {
      const session = await open(req, res, 'FORM');
      if (!session) return;
      const locale: Locale = session.locale === 'en' ? 'en' : 'tr';
      const body = (req.body ?? {}) as Record<string, unknown>;
      const number = String(body.cardNumber ?? '').replace(/[\s-]/g, '');
      const valid = passesLuhn(number) && validExpiry(String(body.expiry ?? ''), new Date()) && /^\d{3,4}$/.test(String(body.cvc ?? '')) && String(body.cardHolderName ?? '').trim().length > 0;
      if (!valid) return send(res, 400, cardForm(session, tr('invalid', locale)));
      // From here on only the brand and last four digits exist.
      const declined = number === SANDBOX_CARDS.declined;
      const cardLabel = `${cardBrand(number)} •••• ${number.slice(-4)}`;
      const next = await sessions
        .findOneAndUpdate(
          { token: session.token, status: 'FORM' },
          { $set: declined ? { status: 'FAILED', failure: 'card_declined', cardLabel } : { status: 'THREE_DS', cardLabel } },
          { returnDocument: 'after' },
        )
        .lean();
      if (!next) return void (await open(req, res, 'FORM'));
      send(res, 200, declined ? returnToMerchant(next.callbackUrl, next.token, locale) : threeDsForm(next, null));
    });

    app.post(`${SANDBOX_CARD_PAGE_PATH}/3ds`, form, async (req, res) => {
      const session = await open(req, res, 'THREE_DS');
      if (!session) return;
      const locale: Locale = session.locale === 'en' ? 'en' : 'tr';
      const code = String((req.body as Record<string, unknown> | undefined)?.code ?? '').trim();
      if (code === SANDBOX_3DS_CODE) {
        await sessions.updateOne({ token: session.token, status: 'THREE_DS' }, { $set: { status: 'CAPTURED', cardToken: sandboxCardToken() } });
      } else {
        const attempts = session.threeDsAttempts + 1;
        const failed = attempts >= SANDBOX_3DS_MAX_ATTEMPTS;
        await sessions.updateOne({ token: session.token, status: 'THREE_DS' }, { $inc: { threeDsAttempts: 1 }, ...(failed ? { $set: { status: 'FAILED', failure: '3ds_failed' } } : {}) });
        if (!failed) return send(res, 400, threeDsForm(session, tr('wrongCode', locale)));
      }
      send(res, 200, returnToMerchant(session.callbackUrl, session.token, locale));
    });
  };
}
