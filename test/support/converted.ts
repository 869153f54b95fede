import { parseBuffer } from 'music-metadata';
import { expect } from 'vitest';

export interface DecodedWav {
  readonly container: string | undefined;
  readonly codec: string | undefined;
  readonly sampleRate: number | undefined;
  readonly channels: number | undefined;
  readonly bitsPerSample: number | undefined;
  readonly durationSeconds: number | undefined;
}

/** What a real parser (music-metadata) reads from a WAV we produced. */
export async function readWav(bytes: Uint8Array): Promise<DecodedWav> {
  const { format } = await parseBuffer(bytes, { mimeType: 'audio/wav' }, { duration: true });
  return {
    container: format.container,
    codec: format.codec,
    sampleRate: format.sampleRate,
    channels: format.numberOfChannels,
    bitsPerSample: format.bitsPerSample,
    durationSeconds: format.duration,
  };
}

/**
 * Checks `bytes` is the WAV the bot sends, as a real parser reads it: 16-bit PCM, mono, at
 * `sampleRate`. Returns its length in seconds.
 */
export async function expectMonoWav(bytes: Uint8Array, sampleRate: number): Promise<number> {
  const wav = await readWav(bytes);
  expect(wav).toMatchObject({ container: 'WAVE', codec: 'PCM', sampleRate, channels: 1, bitsPerSample: 16 });
  return wav.durationSeconds ?? Number.NaN;
}

/** RMS of a 16-bit mono WAV's samples (after the 44-byte header we write), relative to full scale. */
export function rmsOf(wav: Uint8Array): number {
  const samples = new Int16Array(wav.buffer, wav.byteOffset + 44, (wav.length - 44) / 2);
  let sum = 0;
  for (const sample of samples) sum += (sample / 32768) ** 2;
  return Math.sqrt(sum / samples.length);
}
