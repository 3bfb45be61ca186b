/** Small HTML pages of the hosted card flow (issue 15): no scripts but the one that posts back to the merchant. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function page(title: string, body: string, script = ''): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}input{width:100%;padding:.4rem;margin:.2rem 0 .8rem}button{padding:.5rem 1rem}[role=alert]{color:#b00020}</style>
</head><body><main><h1>${escapeHtml(title)}</h1>
${body}</main>${script}</body></html>`;
}

/** Back to the merchant's callback with the session token, by form POST as iyzico does (a button where scripts are off). */
export function returnToMerchant(callbackUrl: string, token: string, locale: 'tr' | 'en'): string {
  const label = locale === 'en' ? 'Return to the merchant' : 'Satıcıya dön';
  return page(
    label,
    `<form id="return" method="post" action="${escapeHtml(callbackUrl)}"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">${label}</button></form>`,
    '<script>document.getElementById("return").submit()</script>',
  );
}
