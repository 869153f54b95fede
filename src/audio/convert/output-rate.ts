/** What we send: 16-bit PCM, mono, in a 44-byte RIFF/WAVE header. */
export const WAV_HEADER_BYTES = 44;
export const BYTES_PER_SAMPLE = 2;

/** The rates libopus decodes to natively that we use (12 and 8 kHz lose too much of a voice). */
export const OPUS_RATES = [48_000, 24_000, 16_000] as const;
/** Lower rates a resampled source may be brought down to, highest first. */
export const STANDARD_RATES = [44_100, 32_000, 24_000, 22_050, 16_000] as const;

export function wavBytesFor(frames: number): number {
  return WAV_HEADER_BYTES + frames * BYTES_PER_SAMPLE;
}

/**
 * The rates a source may come out at, best first: for Opus the decoder's own; for anything else the
 * source's rate, then each standard rate below it (never above: that would only make the file bigger).
 */
export function candidateRates(codec: 'opus' | 'other', sourceRate: number): number[] {
  if (codec === 'opus') return [...OPUS_RATES];
  return [sourceRate, ...STANDARD_RATES.filter((rate) => rate < sourceRate)];
}

/** The highest candidate at which `seconds` of mono 16-bit audio fits in `maxBytes`, or undefined. */
export function chooseOutputRate(candidates: readonly number[], seconds: number, maxBytes: number) {
  return candidates.find((rate) => wavBytesFor(Math.ceil(seconds * rate)) <= maxBytes);
}
