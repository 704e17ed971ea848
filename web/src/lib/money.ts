import { minorDigits } from '$functions/domain/commerce';

// Integer minor units of a currency, as the reader's locale writes money.
export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(minor / 10 ** digits);
}
