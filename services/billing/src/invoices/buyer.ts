type Text = string | null | undefined;

/** The buyer's address as stored on an invoice (accounts' InvoiceBuyer address, frozen). */
export interface BuyerAddress {
  line1?: Text;
  line2?: Text;
  district?: Text;
  city?: Text;
  postalCode?: Text;
  country?: Text;
}

/** The buyer as frozen on an invoice at issue; accounts' InvoiceBuyer is one. */
export interface InvoiceBuyer {
  customerType: string;
  legalName: string;
  taxId?: Text;
  taxOffice?: Text;
  nationalId?: Text;
  address?: BuyerAddress | null;
}

/** A company is identified by its VKN, a person (or sole proprietor) by their TCKN [VUK art. 230]. */
export function buyerIdentifier(buyer: InvoiceBuyer): { scheme: 'VKN' | 'TCKN'; value: string } | null {
  if (buyer.taxId) return { scheme: 'VKN', value: buyer.taxId };
  if (buyer.nationalId) return { scheme: 'TCKN', value: buyer.nationalId };
  return null;
}

/** The address on one line, as printed: "Street, District/City 34000, TR". */
export function formatBuyerAddress(address: BuyerAddress | null | undefined): string | null {
  if (!address) return null;
  const place = [address.district, address.city].filter(Boolean).join('/');
  const parts = [address.line1, address.line2, [place, address.postalCode].filter(Boolean).join(' '), address.country].filter((part) => part && part.trim());
  return parts.length ? parts.join(', ') : null;
}
