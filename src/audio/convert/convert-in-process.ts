import { UnsupportedAudioFormatError } from '../errors.ts';
import { convertWithWasm, type ConvertedAudio, type ConvertLimits } from './convert-wasm.ts';
import { NoAudioTrackError } from './errors.ts';
import type { WasmSource } from './source-kind.ts';

/**
 * Converted here, or handed to ffmpeg (a WebM whose audio is not Opus), named for the reply. Flat, so
 * a worker hands `wav` back by transferring its memory rather than copying it.
 */
export type InProcessOutcome =
  | (ConvertedAudio & { readonly needsFfmpeg?: undefined })
  | { readonly needsFfmpeg: string; readonly wav?: undefined };

/**
 * The conversion a worker thread runs: everything that parses or decodes the file's bytes. Only
 * Opus is decoded from WebM/Matroska; another codec there goes to ffmpeg.
 */
export async function convertInProcess(
  path: string,
  source: WasmSource,
  limits: ConvertLimits,
): Promise<InProcessOutcome> {
  if (source === 'webm') {
    const { webmAudioCodec } = await import('./decode-webm.ts');
    const track = await webmAudioCodec(path);
    if (track === 'none') throw new NoAudioTrackError('WebM');
    if (track.codec === null)
      throw new UnsupportedAudioFormatError(`WebM (${track.codecId || 'unknown codec'})`);
    if (track.codec !== 'opus') return { needsFfmpeg: `WebM (${track.codec})` };
  }
  return convertWithWasm(path, source, limits);
}
