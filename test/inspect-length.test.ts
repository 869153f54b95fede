/**
 * Length and format judged on what a file holds, not on what its header or size suggests. Every
 * file here is made by ffmpeg or by a few lines of code, the way real files came out wrong.
 */
import { describe, expect, it } from 'vitest';
import { CorruptAudioError } from '../src/audio/errors.ts';
import { inspectAudio } from '../src/pipeline/inspect.ts';
import { fixture } from './support/audio.ts';
import { ffmpeg } from './support/ffmpeg.ts';
import { box, id3v2Header } from './support/hostile-audio.ts';

const lavfi = (source: string) => ['-f', 'lavfi', '-i', source];
/** A CBR MP3 with no Xing/Info frame, so nothing but the frames says how long it is. */
const bareMp3 = (seconds: number) =>
  ffmpeg(
    [
      ...lavfi(`sine=d=${seconds}:sample_rate=16000`),
      '-c:a',
      'libmp3lame',
      '-b:a',
      '32k',
      '-write_xing',
      '0',
    ],
    'x.mp3',
  );

describe('MP3 length is counted from its frames when no header states it', () => {
  it('VBR without a Xing or VBRI header: 1.5 s of silence, then 4 s of noise', async () => {
    const mp3 = ffmpeg(
      [
        ...lavfi('anullsrc=r=44100:cl=mono:d=1.5'),
        ...lavfi('anoisesrc=r=44100:d=4:a=0.3'),
        '-filter_complex',
        '[0][1]concat=n=2:v=0:a=1',
        '-c:a',
        'libmp3lame',
        '-q:a',
        '4',
        '-write_xing',
        '0',
      ],
      'x.mp3',
    );
    const audio = await inspectAudio(mp3);
    // The quiet start's low bitrate made a size-based estimate about twice the real length.
    expect(audio.format).toBe('mp3');
    expect(audio.durationSeconds).toBeGreaterThan(5.4);
    expect(audio.durationSeconds).toBeLessThan(5.6);
  });

  it('frames followed by zeros: the length is that of the frames', async () => {
    const frames = bareMp3(12);
    const padded = Buffer.concat([frames, Buffer.alloc(Math.round(frames.length / 4))]);
    const audio = await inspectAudio(padded);
    expect(audio.durationSeconds).toBeGreaterThan(11.9);
    expect(audio.durationSeconds).toBeLessThan(12.2);
  });

  it('refuses as damaged a file that is mostly not frames (half a second, then 300 kB of nothing)', async () => {
    const mp3 = Buffer.concat([bareMp3(0.5), Buffer.alloc(300_000)]);
    const error = await inspectAudio(mp3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ format: 'mp3', reason: 'length_mismatch' });
    const { claimedSeconds, foundSeconds } = error as CorruptAudioError;
    expect(foundSeconds).toBeLessThan(0.7);
    expect(claimedSeconds).toBeGreaterThan(60);
  });

  it('refuses as cut off an MP3 whose Info frame counts more frames than it holds', async () => {
    const whole = fixture('voice-12s.mp3');
    const error = await inspectAudio(whole.subarray(0, Math.floor(whole.length * 0.6))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ format: 'mp3', reason: 'truncated' });
    expect((error as CorruptAudioError).claimedSeconds).toBeCloseTo(12.7, 1);
  });
});

describe('the first MP3 frame is found as decoders find it', () => {
  const audioFrames = () => {
    const mp3 = fixture('voice-12s.mp3');
    return mp3.subarray(mp3[0] === 0x49 ? 10 + syncsafe(mp3, 6) : 0);
  };

  it('after stray bytes before the first frame', async () => {
    const stray = Buffer.from('downloaded by some tool, v1.0 \0\0\0 '.repeat(40), 'latin1');
    const audio = await inspectAudio(Buffer.concat([stray, audioFrames()]));
    expect(audio).toMatchObject({ format: 'mp3', sampleRate: 16000, channels: 1 });
    expect(audio.durationSeconds).toBeCloseTo(12.7, 1);
  });

  it('after an unsynchronised ID3v2 tag whose header gives its size before unsynchronisation', async () => {
    // A picture-like payload full of 0xFF bytes: unsynchronisation inserts a 0x00 after each one.
    const payload = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 0xff : 0xe7)));
    const frame = Buffer.concat([Buffer.from('PRIV\0\0\0\0\0\0', 'latin1'), Buffer.from('owner\0'), payload]);
    frame.writeUInt32BE(frame.length - 10, 4);
    const stored = unsynchronise(frame);
    // Some writers put the size of the tag before unsynchronisation in the header: 1,000 bytes short.
    const tag = Buffer.concat([id3v2Header(frame.length, { flags: 0x80 }), stored]);
    const audio = await inspectAudio(Buffer.concat([tag, audioFrames()]));
    expect(audio).toMatchObject({ format: 'mp3', sampleRate: 16000 });
    expect(audio.durationSeconds).toBeCloseTo(12.7, 1);
  });
});

describe('M4A length is the samples actually in the file', () => {
  it('refuses an M4A whose sample table points past the end of the file', async () => {
    // moov first (faststart), then an mdat cut to a tenth and given a consistent size.
    const m4a = ffmpeg(
      [...lavfi('sine=d=12:sample_rate=16000'), '-c:a', 'aac', '-b:a', '32k', '-movflags', '+faststart'],
      'x.m4a',
    );
    const mdat = m4a.indexOf('mdat', 0, 'latin1') - 4;
    const kept = Math.floor((m4a.length - mdat - 8) / 10);
    const cut = Buffer.concat([m4a.subarray(0, mdat), box('mdat', m4a.subarray(mdat + 8, mdat + 8 + kept))]);
    const error = await inspectAudio(cut).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptAudioError);
    expect(error).toMatchObject({ format: 'm4a', reason: 'truncated' });
    const { claimedSeconds, foundSeconds } = error as CorruptAudioError;
    expect(claimedSeconds).toBeCloseTo(12, 0);
    expect(foundSeconds).toBeLessThan(2);
  });

  it('reads a whole faststart M4A', async () => {
    const m4a = ffmpeg(
      [...lavfi('sine=d=12:sample_rate=16000'), '-c:a', 'aac', '-b:a', '32k', '-movflags', '+faststart'],
      'x.m4a',
    );
    const audio = await inspectAudio(m4a);
    expect(audio).toMatchObject({ format: 'm4a' });
    // AAC's priming samples add a few tens of milliseconds.
    expect(audio.durationSeconds).toBeGreaterThan(11.9);
    expect(audio.durationSeconds).toBeLessThan(12.2);
  });
});

function syncsafe(bytes: Uint8Array, at: number): number {
  return [0, 1, 2, 3].reduce((size, i) => (size << 7) | ((bytes[at + i] ?? 0) & 0x7f), 0);
}

function unsynchronise(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    out.push(byte);
    const next = bytes[i + 1];
    if (byte === 0xff && (next === undefined || next === 0 || (next & 0xe0) === 0xe0)) out.push(0);
  }
  return Buffer.from(out);
}
