import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertInProcess } from '../src/audio/convert/convert-in-process.ts';
import {
  AudioTooLongError,
  ConvertedTooLargeError,
  DecodedLengthMismatchError,
  NoAudioDecodedError,
  SilentAudioError,
} from '../src/audio/convert/errors.ts';
import { readHeadAndTail } from '../src/audio/convert/file-reader.ts';
import { sourceKind } from '../src/audio/convert/source-kind.ts';
import { fixture, makeWav } from './support/audio.ts';
import { expectMonoWav, readWav } from './support/converted.ts';
import { voiceMessage } from './support/ogg-opus.ts';
import { tempDir } from './support/temp-dir.ts';

const DEFAULT_LIMITS = { maxSeconds: 300, maxBytes: 20 * 1024 * 1024 };
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

async function convert(name: string, bytes: Uint8Array, limits = DEFAULT_LIMITS) {
  const path = await dir.file(name, bytes);
  const { head, tail } = await readHeadAndTail(path);
  const kind = sourceKind(head, tail);
  if (kind.route !== 'wasm') throw new Error(`${name} is not converted in-process (${kind.route})`);
  const outcome = await convertInProcess(path, kind.source, limits);
  if (outcome.needsFfmpeg !== undefined) throw new Error(`${name} was handed to ffmpeg`);
  return outcome;
}

describe('in-process conversion (WASM decoders), checked by decoding the WAV it writes', () => {
  it.each([
    ['voice-message-12s.ogg', 'Ogg Opus', 48_000, 12.61],
    ['voice-12s.webm', 'WebM Opus', 48_000, 12.61],
    ['voice-12s.ogg', 'Ogg Vorbis', 16_000, 12.6],
    ['prompt-3s.flac', 'FLAC', 44_100, 3.04],
  ])('%s (%s) becomes a 16-bit mono WAV at %i Hz', async (name, from, rate, seconds) => {
    const converted = await convert(name, fixture(name));
    const length = await expectMonoWav(converted.wav, rate);
    expect(converted.from).toBe(from);
    expect(length).toBeCloseTo(seconds, 1);
    expect(Math.abs(length - converted.durationSeconds)).toBeLessThan(0.001);
    expect(converted.wav.length).toBe(44 + Math.round(converted.durationSeconds * rate) * 2);
  });

  it('a five-minute voice message comes out at 24 kHz, 14.4 MB, inside MAX_AUDIO_BYTES', async () => {
    const converted = await convert('five-minutes.ogg', voiceMessage(300));
    const wav = await readWav(converted.wav);
    expect(wav).toMatchObject({ sampleRate: 24_000, channels: 1, bitsPerSample: 16 });
    expect(wav.durationSeconds).toBeCloseTo(300, 1);
    expect(converted.wav.length).toBeGreaterThan(14_390_000);
    expect(converted.wav.length).toBeLessThanOrEqual(14_400_044);
  });

  it('picks 16 kHz for Opus when 24 kHz would not fit a smaller MAX_AUDIO_BYTES', async () => {
    const converted = await convert('minute.ogg', voiceMessage(60), { maxSeconds: 300, maxBytes: 2_500_000 });
    expect(converted.sampleRate).toBe(16_000);
    expect(converted.wav.length).toBeLessThanOrEqual(2_500_000);
  });

  it('converts a stereo 48 kHz WAV too big to send, down to the highest standard rate that fits', async () => {
    // 20 s of 48 kHz stereo is 3.84 MB; with a 2 MB limit 48 kHz mono (1.92 MB) fits.
    const stereo = makeWav(20, { sampleRate: 48_000, channels: 2 });
    const fits = await convert('long-stereo.wav', stereo, { maxSeconds: 300, maxBytes: 2_000_000 });
    expect(fits).toMatchObject({ sampleRate: 48_000, sourceChannels: 2 });
    const smaller = await convert('long-stereo-2.wav', stereo, { maxSeconds: 300, maxBytes: 1_500_000 });
    const wav = await readWav(smaller.wav);
    expect(wav).toMatchObject({ sampleRate: 32_000, channels: 1 });
    expect(wav.durationSeconds).toBeCloseTo(20, 1);
  });

  it('refuses what even 16 kHz cannot fit, before decoding', async () => {
    await expect(
      convert('too-big.ogg', voiceMessage(60), { maxSeconds: 300, maxBytes: 1_000_000 }),
    ).rejects.toThrow(ConvertedTooLargeError);
  });

  it('refuses a file whose header states more than the purpose accepts, without decoding it', async () => {
    const error = await convert('long.ogg', voiceMessage(20), {
      maxSeconds: 8,
      maxBytes: DEFAULT_LIMITS.maxBytes,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLongError);
    expect(error).toMatchObject({ atLeast: false, maxSeconds: 8 });
    expect((error as AudioTooLongError).seconds).toBeCloseTo(20, 1);
  });
});

describe('refusals', () => {
  it('a chained Ogg that claims 12 s and hides ten minutes is refused after decoding about 12 s', async () => {
    const hidden = voiceMessage(600, { serial: 7 });
    const visible = voiceMessage(12, { serial: 8 });
    const error = await convert('chained.ogg', Buffer.concat([hidden, visible])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodedLengthMismatchError);
    const mismatch = error as DecodedLengthMismatchError;
    expect(mismatch.statedSeconds).toBeCloseTo(12, 1);
    expect(mismatch.atLeast).toBe(true);
    // Decoding stopped at the stated length plus the tolerance: memory and time stay bounded by it.
    expect(mismatch.decodedSeconds).toBeLessThan(12.2);
  });

  it('an Ogg whose last granule claims more than its packets hold is refused as shorter than stated', async () => {
    const error = await convert('short.ogg', voiceMessage(10, { claimSeconds: 30 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DecodedLengthMismatchError);
    expect(error).toMatchObject({ atLeast: false, statedSeconds: 30 });
  });

  it('a cut-off FLAC is refused: STREAMINFO promises more than the frames hold', async () => {
    const flac = fixture('prompt-3s.flac');
    const error = await convert('cut.flac', flac.subarray(0, Math.floor(flac.length / 2))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DecodedLengthMismatchError);
    expect((error as DecodedLengthMismatchError).decodedSeconds).toBeLessThan(2.9);
  });

  it('an Opus file of digital silence is refused as silent', async () => {
    const error = await convert('silence.opus', fixture('silence-5s.opus')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SilentAudioError);
    expect((error as SilentAudioError).peakDbfs).toBeLessThan(-60);
  });

  it('garbage after a valid Ogg Opus header decodes to nothing and is refused', async () => {
    const header = voiceMessage(1).subarray(0, 80);
    const garbage = Buffer.concat([
      header,
      Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)),
    ]);
    const error = await convert('garbage.ogg', garbage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoAudioDecodedError);
  });

  it('random bytes named .ogg are not taken for Ogg at all', async () => {
    const path = await dir.file(
      'random.ogg',
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256)),
    );
    const { head, tail } = await readHeadAndTail(path);
    expect(sourceKind(head, tail)).toEqual({ route: 'unknown' });
  });

  it('a WebM that states no length is capped at the purpose maximum plus a second', async () => {
    const error = await convert('live.webm', fixture('voice-12s.webm'), {
      maxSeconds: 5,
      maxBytes: 20e6,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLongError);
    expect(error).toMatchObject({ atLeast: true, maxSeconds: 5 });
    expect((error as AudioTooLongError).seconds).toBeLessThanOrEqual(6.01);
  });

  it('a FLAC written as a stream (0 total samples) is measured first and capped the same way', async () => {
    const flac = Buffer.from(fixture('prompt-3s.flac'));
    // STREAMINFO starts at byte 8; its total-samples field is the low 4 bits of byte 21 and bytes 22-25.
    flac[21] = (flac[21] as number) & 0xf0;
    flac.fill(0, 22, 26);
    const error = await convert('stream.flac', flac, { maxSeconds: 1, maxBytes: 20e6 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ atLeast: true, maxSeconds: 1 });
    expect(error).toBeInstanceOf(AudioTooLongError);
    const whole = await convert('stream-ok.flac', flac);
    expect(whole.durationSeconds).toBeCloseTo(3.04, 1);
  });
});
