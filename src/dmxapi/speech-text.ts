import { SpeechWouldNotFitError } from './input-errors.ts';
import { SPEECH_BITRATES, type SpeechBitrate } from '../domain/voices.ts';

/** Characters as the limit counts them: Unicode code points, so an emoji counts once, not twice. */
export function speechCharacters(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Han, kana and Hangul: MiniMax bills each as two characters, and they are spoken slowest. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** `<#1.5#>`: a pause of that many seconds (0.01–99.99), billed as nothing and spoken as silence. */
const PAUSE = /<#(\d{1,2}(?:\.\d{1,2})?)#>/g;

/**
 * An upper bound of the characters MiniMax will bill for `text`: wide characters count two, every
 * other code point one, pause markers nothing. Reserved against the daily quota before the request;
 * the answer's `usage_characters` replaces it once known.
 */
export function estimateBilledCharacters(text: string): number {
  let billed = 0;
  for (const char of text.replace(PAUSE, '')) billed += WIDE.test(char) ? 2 : 1;
  return billed;
}

/**
 * Characters per second at speed 1, chosen below normal speaking rates (Chinese ~4.5, English
 * ~14) so the estimate is a ceiling, not an average.
 */
const WIDE_PER_SECOND = 4;
const OTHER_PER_SECOND = 12;

/** The longest the speech of `text` should last at `speed`, in seconds, pauses included. */
export function estimateSpeechSeconds(text: string, speed: number): number {
  let pauses = 0;
  const spoken = text.replace(PAUSE, (_, seconds: string) => {
    pauses += Number(seconds);
    return ' ';
  });
  let seconds = 0;
  for (const char of spoken) seconds += WIDE.test(char) ? 1 / WIDE_PER_SECOND : 1 / OTHER_PER_SECOND;
  return seconds / speed + pauses;
}

/** mp3 frame headers, an ID3 tag and rounding: room kept on top of bitrate × duration. */
const MP3_OVERHEAD = 1.05;
const PREFERRED_BITRATE: SpeechBitrate = 128_000;

/**
 * The highest bitrate, up to 128 kbit/s (more adds nothing for speech), at which the longest
 * speech `text` could make still fits in `maxBytes`: short texts sound their best, the longest
 * allowed text (slow, wide characters) still fits Discord's attachment limit.
 */
export function chooseSpeechBitrate(text: string, speed: number, maxBytes: number): SpeechBitrate {
  const seconds = estimateSpeechSeconds(text, speed);
  const fits = (bitrate: number) => ((seconds * bitrate) / 8) * MP3_OVERHEAD <= maxBytes;
  const choice = [...SPEECH_BITRATES]
    .filter((bitrate) => bitrate <= PREFERRED_BITRATE)
    .reverse()
    .find(fits);
  if (choice === undefined) {
    const lowest = SPEECH_BITRATES[0];
    throw new SpeechWouldNotFitError(Math.ceil(seconds), Math.floor((maxBytes * 8) / lowest / MP3_OVERHEAD));
  }
  return choice;
}
