import {
  buildRequestContext,
  createTranslator,
  localeFromAcceptLanguage,
  type Locale,
  type RequestContext,
  type TokenVerifier,
} from '@omurga/shared';
import type { Express, Request, Response } from 'express';
import type { ConsentModels } from '../models.ts';
import type { PersonalDataExportDoc } from './models.ts';
import { mayDownloadExport } from './resolvers.ts';

/**
 * GET /exports/:id (CON-5 ACCESS, CON-9): a prepared export as a JSON
 * download, on the consent service and proxied by the gateway. Someone who may
 * not download it gets the same 404 as for a missing one.
 */
export const EXPORT_PATH = '/exports/:id';

const t = createTranslator({
  NOT_FOUND: { tr: 'Veri dökümü bulunamadı.', en: 'Data export not found.' },
  NOT_READY: { tr: 'Veri dökümü henüz hazırlanıyor.', en: 'The data export is still being prepared.' },
  UNAUTHENTICATED: { tr: 'Oturum açmanız gerekiyor.', en: 'You need to sign in.' },
});

const OBJECT_ID = /^[0-9a-f]{24}$/i;

function fail(res: Response, status: number, code: string, locale: Locale): void {
  res.status(status).json({ code, message: t(code, locale) });
}

async function authenticate(req: Request, verify: TokenVerifier): Promise<RequestContext | null> {
  try {
    const ctx = await buildRequestContext(req.headers, req.socket.remoteAddress, verify);
    return ctx.principal.kind === 'anonymous' ? null : ctx;
  } catch {
    return null;
  }
}

export function exportRoutes(deps: { models: ConsentModels; verify: TokenVerifier }): (app: Express) => void {
  return (app) => {
    app.get(EXPORT_PATH, async (req, res) => {
      const locale = localeFromAcceptLanguage(req.get('accept-language'));
      const ctx = await authenticate(req, deps.verify);
      if (!ctx) return fail(res.set('WWW-Authenticate', 'Bearer'), 401, 'UNAUTHENTICATED', locale);
      const id = req.params.id;
      const doc = typeof id === 'string' && OBJECT_ID.test(id) ? await deps.models.PersonalDataExport.findById(id).lean<PersonalDataExportDoc>() : null;
      if (!doc || !mayDownloadExport(ctx, doc)) return fail(res, 404, 'NOT_FOUND', locale);
      if (doc.status !== 'READY' || !doc.content) return fail(res, 409, 'NOT_READY', locale);
      res
        .status(200)
        .set({
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Disposition': `attachment; filename=export-${doc._id.toString()}.json`,
          'Cache-Control': 'private, no-store',
          'X-Content-Type-Options': 'nosniff',
        })
        .end(doc.content);
    });
  };
}
