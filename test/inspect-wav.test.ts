import { describe, expect, it } from 'vitest';
import { CorruptAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import { inspectAudio } from '../src/pipeline/inspect.ts';
import { makeWav } from './support/audio.ts';
import { ffmpeg } from './support/ffmpeg.ts';

/** ffmpeg's own tone source: `seconds` of a 1 kHz sine at `rate`. */
const sine = (seconds: number, rate = 8000) => ['-f', 'lavfi', '-i', `sine=d=${seconds}:sample_rate=${rate}`];

describe('WAVE_FORMAT_EXTENSIBLE (0xFFFE) is judged by its sub-format', () => {
  it('accepts 24-bit PCM as ffmpeg writes it', async () => {
    const wav = ffmpeg([...sine(12), '-c:a', 'pcm_s24le'], 'x.wav');
    expect(wav.readUInt16LE(20)).toBe(0xfffe);
    const audio = await inspectAudio(wav);
    expect(audio).toMatchObject({ format: 'wav', codec: 'PCM', sampleRate: 8000, channels: 1 });
    expect(audio.durationSeconds).toBeCloseTo(12, 3);
  });

  it('accepts 32-bit float in four channels', async () => {
    const wav = ffmpeg([...sine(3), '-ac', '4', '-c:a', 'pcm_f32le'], 'x.wav');
    expect(wav.readUInt16LE(20)).toBe(0xfffe);
    const audio = await inspectAudio(wav);
    expect(audio).toMatchObject({ format: 'wav', codec: 'IEEE_FLOAT', channels: 4 });
    expect(audio.durationSeconds).toBeCloseTo(3, 3);
  });

  it('refuses an extensible WAV whose sub-format is not PCM or float, naming it', async () => {
    const wav = ffmpeg([...sine(3), '-c:a', 'pcm_s24le'], 'x.wav');
    wav.writeUInt16LE(0x0002, 44); // sub-format GUID's first two bytes: MS ADPCM
    const error = await inspectAudio(wav).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedAudioFormatError);
    expect((error as UnsupportedAudioFormatError).detected).toBe('WAV with MS ADPCM encoding');
  });
});

describe('WAVs of unknown size (0xFFFFFFFF) are read to the end of the file', () => {
  it('reads what ffmpeg writes to a pipe, all of it', async () => {
    const wav = ffmpeg([...sine(11), '-f', 'wav'], '-');
    expect(wav.readUInt32LE(4)).toBe(0xffffffff);
    const audio = await inspectAudio(wav);
    expect(audio).toMatchObject({ format: 'wav', codec: 'PCM', sampleRate: 8000 });
    expect(audio.durationSeconds).toBeCloseTo(11, 3);
  });

  it('still calls a WAV with a stated size and missing bytes cut off', async () => {
    const wav = makeWav(12);
    const error = await inspectAudio(wav.subarray(0, wav.length / 2)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ reason: 'truncated', format: 'wav' });
  });
});
