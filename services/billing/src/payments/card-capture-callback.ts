import type { Express, Request, Response } from 'express';
import { formBody, type Logger } from '@omurga/shared';
import type { CardCaptureSessionDoc } from '../models/index.ts';
import { CARD_CAPTURE_CALLBACK_PATH } from './card-capture.ts';
import { completeCardCapture, type CardCaptureDeps } from './card-capture-flow.ts';
import { escapeHtml, page } from './card-pages.ts';

/**
 * GET or POST /card-capture/callback?token=… (issue 15): where the provider
 * sends the customer's browser back. The token only names the session; what
 * happened is asked of the provider. Answers a short page for the customer
 * with a link back to the portal.
 */
export function cardCaptureCallbackRoutes(deps: CardCaptureDeps & { logger?: Logger }): (app: Express) => void {
  const portal = `${deps.publicBaseUrl.replace(/\/+$/, '')}/portal`;
  const answer = (res: Response, status: number, title: string, text: string) =>
    res
      .status(status)
      .set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' })
      .send(page(title, `<p>${escapeHtml(text)}</p><p><a href="${escapeHtml(portal)}">Omurga</a></p>`));

  async function handle(req: Request, res: Response) {
    const token = String((req.body as Record<string, unknown> | undefined)?.token ?? req.query.token ?? '');
    let session: CardCaptureSessionDoc | null;
    try {
      session = await completeCardCapture(deps, token);
    } catch (error) {
      deps.logger?.warn({ err: error }, 'card capture callback failed');
      return answer(res, 502, 'Kart kaydı / Card capture', 'Ödeme kuruluşuna ulaşılamadı; birazdan bu sayfayı yenileyin. / The payment provider did not answer; reload this page shortly.');
    }
    if (!session) return answer(res, 404, 'Kart kaydı / Card capture', 'Bu kart kaydı oturumu bulunamadı. / This card session was not found.');
    switch (session.status) {
      case 'COMPLETED':
        return answer(res, 200, 'Kartınız kaydedildi / Your card is saved', `${session.cardLabel ?? ''}`.trim() || 'OK');
      case 'FAILED':
        return answer(res, 200, 'Kart kaydedilemedi / The card was not saved', `${session.failure ?? 'failed'}`);
      default:
        return answer(res, 202, 'Kart kaydı sürüyor / Card capture in progress', 'Ödeme kuruluşu henüz sonuç vermedi. / The provider has no result yet.');
    }
  }

  return (app) => {
    const form = formBody();
    app.get(CARD_CAPTURE_CALLBACK_PATH, handle);
    app.post(CARD_CAPTURE_CALLBACK_PATH, form, handle);
  };
}
