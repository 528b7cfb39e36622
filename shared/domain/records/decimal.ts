/**
 * Exact decimals for number, currency and percent fields.
 *
 * A field value arrives as a JSON number, which JSON.parse turns into a binary double. Keiro reads a
 * double as its shortest decimal text (`String(n)`: what the JSON carried whenever the value is
 * within the limits below) and does every sum on that text with BigInt, so that the view counters
 * that DynamoDB adds up stay exact decimals: no binary noise, no rounding, no overflow.
 *
 * The limits (a value outside them is refused with a 400 naming the field; see functions/README.md, "Decisions"):
 * - magnitude at most 2^53 − 1 (`Number.MAX_SAFE_INTEGER`): above it JSON.parse has already rounded
 *   integers (9007199254740993 arrives as ...992), so what would be stored is not what was sent
 *   (RFC 7493, I-JSON, sets the same bound for interoperable integers);
 * - at most `MAX_DECIMAL_PLACES` decimal places (currency: 2). With at most 16 integer digits, a
 *   value has at most 26 significant digits, and a per-value counter can sum 10^12 such values within
 *   DynamoDB's 38 digits. This also keeps every value inside DynamoDB's number range
 *   (1E-130 to 9.99E+125): the smallest non-zero value is 1E-10.
 */

/** Largest magnitude a number field takes: every JSON parser reads integers up to it exactly. */
export const MAX_EXACT_MAGNITUDE = Number.MAX_SAFE_INTEGER;
/** Decimal places a number or percent field takes (currency takes `CURRENCY_DECIMAL_PLACES`). */
export const MAX_DECIMAL_PLACES = 10;
export const CURRENCY_DECIMAL_PLACES = 2;

/** value = units / 10^scale, scale ≥ 0. */
export interface Decimal {
  units: bigint;
  scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses decimal text as DynamoDB (or String(n)) writes it: `-12.5`, `1e-7`, `1.5E+3`. Undefined if it is not one. */
export const parseDecimal = (text: string): Decimal | undefined => {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', int = '0', frac = '', exp = '0'] = m;
  const exponent = Number(exp);
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 10_000) return undefined;
  let units = BigInt(`${sign === '-' ? '-' : ''}${int}${frac}`);
  let scale = frac.length - exponent;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalise({ units, scale });
};

/** Drops trailing zeros of the fraction: 1.50 → 1.5, so `scale` is the number of decimal places. */
const normalise = (d: Decimal): Decimal => {
  let { units, scale } = d;
  while (scale > 0 && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return { units, scale };
};

/** The exact decimal a finite double stands for in JSON (its shortest text). */
export const decimalOf = (n: number): Decimal => {
  const parsed = Number.isFinite(n) ? parseDecimal(String(n)) : undefined;
  if (!parsed) throw new RangeError(`Not a finite number: ${n}`);
  return parsed;
};

/** Decimal places of a finite double as JSON writes it: 1234.56 → 2, 1e-7 → 7, 1e21 → 0. */
export const decimalPlaces = (n: number): number => decimalOf(n).scale;

const rescale = (d: Decimal, scale: number): bigint => d.units * 10n ** BigInt(scale - d.scale);

/** Exact sum of decimals. */
export const sumDecimals = (values: readonly Decimal[]): Decimal => {
  const scale = Math.max(0, ...values.map((v) => v.scale));
  return normalise({ units: values.reduce((acc, v) => acc + rescale(v, scale), 0n), scale });
};

export const negate = (d: Decimal): Decimal => ({ units: -d.units, scale: d.scale });

export const isZero = (d: Decimal): boolean => d.units === 0n;

/** Plain decimal text (no exponent), what DynamoDB takes as a number: -0.0000001, 12.5, 90071992547409910. */
export const formatDecimal = (d: Decimal): string => {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale);
  return `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
};

/** The nearest double (for chart results, which are JSON numbers). */
export const toNumber = (d: Decimal): number => Number(formatDecimal(d));

/** Why a number cannot be a value of a number field with at most `places` decimal places; undefined if it can. */
export const numberValueProblem = (n: number, places: number): string | undefined => {
  if (!Number.isFinite(n)) return 'Must be a finite number';
  if (Math.abs(n) > MAX_EXACT_MAGNITUDE) return `Must be between -${MAX_EXACT_MAGNITUDE} and ${MAX_EXACT_MAGNITUDE} (larger numbers cannot be read back exactly)`;
  if (decimalPlaces(n) > places) return `At most ${places} decimal places`;
  return undefined;
};
