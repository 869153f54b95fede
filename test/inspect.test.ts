import { describe, expect, it } from 'vitest';
import { DurationOutOfRangeError } from '../src/pipeline/errors.ts';
import { CorruptAudioError, EmptyAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import { checkDuration, inspectAudio } from '../src/pipeline/inspect.ts';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';
import type { Purpose } from '../src/domain/purposes.ts';
import { fixture, makeWav } from './support/audio.ts';

async function durationCheck(seconds: number, purpose: Purpose): Promise<void> {
  checkDuration(await inspectAudio(makeWav(seconds)), purpose, DEFAULT_AUDIO_LIMITS);
}

describe('inspectAudio on real files', () => {
  it('reads an MP3 recording', async () => {
    const audio = await inspectAudio(fixture('voice-12s.mp3'));
    expect(audio).toMatchObject({ format: 'mp3', sampleRate: 16000, channels: 1, bitrate: 32000 });
    expect(audio.codec).toContain('Layer 3');
    expect(audio.durationSeconds).toBeCloseTo(12.7, 1);
  });

  it('reads an M4A (AAC in MPEG-4) recording', async () => {
    const audio = await inspectAudio(fixture('voice-12s.m4a'));
    expect(audio).toMatchObject({ format: 'm4a', codec: 'MPEG-4/AAC', sampleRate: 16000 });
    expect(audio.durationSeconds).toBeCloseTo(12.67, 1);
  });

  it('reads a WAV written by ffmpeg', async () => {
    const audio = await inspectAudio(fixture('prompt-3s.wav'));
    expect(audio).toMatchObject({ format: 'wav', codec: 'PCM', sampleRate: 8000, channels: 1 });
    expect(audio.durationSeconds).toBeCloseTo(3.04, 2);
  });

  it('reads a WAV generated in the test, to the sample', async () => {
    const audio = await inspectAudio(makeWav(12.5, { sampleRate: 16000, channels: 2 }));
    expect(audio).toMatchObject({ format: 'wav', durationSeconds: 12.5, sampleRate: 16000, channels: 2 });
  });
});

describe('inspectAudio refuses what DMXAPI cannot use', () => {
  it('refuses an empty file', async () => {
    await expect(inspectAudio(new Uint8Array(0))).rejects.toBeInstanceOf(EmptyAudioError);
  });

  it('refuses Ogg Vorbis, naming what it really is (whatever the file is called)', async () => {
    const error = await inspectAudio(fixture('voice-12s.ogg')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedAudioFormatError);
    expect((error as UnsupportedAudioFormatError).detected).toBe('Ogg (Vorbis I)');
  });

  it('refuses an MP4 with a video track', async () => {
    const error = await inspectAudio(fixture('video-12s.mp4')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedAudioFormatError);
    expect((error as UnsupportedAudioFormatError).detected).toBe('MP4 video');
  });

  it('refuses random bytes as not audio', async () => {
    let seed = 42;
    const noise = Uint8Array.from(
      { length: 64 * 1024 },
      () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff,
    );
    const error = await inspectAudio(noise).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedAudioFormatError);
    expect((error as UnsupportedAudioFormatError).detected).toBeUndefined();
  });

  it('refuses text as not audio', async () => {
    await expect(inspectAudio(Buffer.from('ID: not audio at all\n'.repeat(100)))).rejects.toBeInstanceOf(
      UnsupportedAudioFormatError,
    );
  });

  it.each([
    ['voice-12s.mp3', 'mp3', 'truncated'],
    ['voice-12s.m4a', 'm4a', 'unreadable'],
    ['prompt-3s.wav', 'wav', 'truncated'],
  ] as const)('refuses %s cut off at half its length', async (name, format, reason) => {
    const whole = fixture(name);
    const error = await inspectAudio(whole.subarray(0, Math.floor(whole.length / 2))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ format, reason });
  });

  it('refuses a WAV whose header was cut off with no audio', async () => {
    const error = await inspectAudio(makeWav(12).subarray(0, 44)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
  });

  it('refuses an MP3 that is only its first 100 bytes', async () => {
    const error = await inspectAudio(fixture('voice-12s.mp3').subarray(0, 100)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ format: 'mp3', reason: 'unreadable' });
  });
});

describe('checkDuration against the purpose limits', () => {
  it.each([
    [10, 'voice_clone'],
    [12.5, 'voice_clone'],
    [300, 'voice_clone'],
    [7.99, 'prompt_audio'],
    [0.5, 'prompt_audio'],
  ] as const)('accepts %s s for %s', async (seconds, purpose) => {
    await expect(durationCheck(seconds, purpose)).resolves.toBeUndefined();
  });

  it.each([
    [9.99, 'voice_clone'],
    [7.4, 'voice_clone'],
    [300.01, 'voice_clone'],
    [8, 'prompt_audio'],
    [12, 'prompt_audio'],
  ] as const)('refuses %s s for %s with the measured value and the limit', async (seconds, purpose) => {
    const error = await durationCheck(seconds, purpose).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DurationOutOfRangeError);
    expect(error).toMatchObject({
      durationSeconds: seconds,
      purpose,
      limit: DEFAULT_AUDIO_LIMITS.duration[purpose],
    });
  });

  it('measures real recordings against the limits: a 3 s clip is a prompt, not a voice', async () => {
    const prompt = await inspectAudio(fixture('prompt-3s.mp3'));
    expect(() => checkDuration(prompt, 'prompt_audio', DEFAULT_AUDIO_LIMITS)).not.toThrow();
    expect(() => checkDuration(prompt, 'voice_clone', DEFAULT_AUDIO_LIMITS)).toThrow(DurationOutOfRangeError);
  });
});
