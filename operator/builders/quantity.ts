const SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

/**
 * A whole number as the API server writes it back as a decimal quantity (5000 → "5k", 1500 → "1500"), so the
 * operator's wanted value equals the stored one and an unchanged child needs no apply.
 */
export function canonicalQuantity(value: number): string {
  if (!Number.isInteger(value) || value <= 0) return String(value);
  let mantissa = value;
  let step = 0;
  while (step < SUFFIXES.length - 1 && mantissa % 1000 === 0) {
    mantissa /= 1000;
    step++;
  }
  return `${mantissa}${SUFFIXES[step]}`;
}
