import { isDurationAtMost } from '@omurga/shared';

// Upper bounds on what a caller may put into billing, so that every invoice
// total fits the API's Int (2 147 483 647 minor units): at most ~100 lines of
// at most MAX_LINE_MINOR each, plus 20 % KDV, stays below it.

/** one price (plan, add-on, fee, late fee, top-up): 10 000 000 minor units (100 000.00) */
export const MAX_PRICE_MINOR = 10_000_000;
/** one unit price of a meter: 1 000.00 per unit */
export const MAX_UNIT_PRICE_MICROS = 1_000_000_000;
/** an add-on line (price × quantity) or one usage event's quantity */
export const MAX_LINE_MINOR = 10_000_000;
export const MAX_QUANTITY = 1_000_000;
/** An ISO-8601 duration no longer than twenty years (ten-year retention with room). */
export const isBoundedDuration = (value: string) => isDurationAtMost(value, 'P20Y');
