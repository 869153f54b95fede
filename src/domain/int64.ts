const INT64_MAX = 9_223_372_036_854_775_807n;

/** Whether `digits` is a positive int64 written plainly (no sign, no leading zero): a DMXAPI file_id. */
export function isInt64Id(digits: string): boolean {
  return /^[1-9]\d{0,18}$/.test(digits) && BigInt(digits) <= INT64_MAX;
}

/**
 * An id as a bare JSON number with its exact digits. Written into the JSON text as it is: passing it
 * through a JavaScript number would round any id above 2^53.
 */
export function int64Json(digits: string, field: string): string {
  if (!isInt64Id(digits))
    throw new RangeError(`${field} must be a positive int64, got "${digits.slice(0, 40)}"`);
  return digits;
}
