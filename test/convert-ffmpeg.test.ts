import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithFfmpeg } from '../src/audio/convert/convert-ffmpeg.ts';
import { AudioTooLongError, ConversionFailedError, NoAudioTrackError } from '../src/audio/convert/errors.ts';
import { chmod, readFile } from 'node:fs/promises';
import { checkFfmpeg, FFMPEG_INPUT_FORMATS, type FfmpegRunner } from '../src/audio/convert/ffmpeg-process.ts';
import { parseProbe } from '../src/audio/convert/ffmpeg-probe.ts';
import { readHeadAndTail } from '../src/audio/convert/file-reader.ts';
import { sourceKind } from '../src/audio/convert/source-kind.ts';
import { fixture } from './support/audio.ts';
import { expectMonoWav } from './support/converted.ts';
import { tempDir } from './support/temp-dir.ts';

// `.ci/run` installs Debian's ffmpeg when it is missing, so this path is always tested, never skipped.
const runner: FfmpegRunner = { ffmpegPath: process.env.FFMPEG_PATH ?? 'ffmpeg', timeoutMs: 20_000 };
const limits = { maxSeconds: 300, maxBytes: 20 * 1024 * 1024 };
let dir: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(() => dir.remove());

async function kindOf(path: string) {
  const { head, tail } = await readHeadAndTail(path);
  return sourceKind(head, tail);
}

describe('ffmpeg conversion (a separate process under prlimit)', () => {
  it('is available here, and says which ffmpeg', async () => {
    const status = await checkFfmpeg(runner.ffmpegPath);
    expect(status).toMatchObject({ available: true });
    expect(status.detail).toMatch(/^ffmpeg version /);
  });

  it('reports itself unavailable when FFMPEG_PATH points nowhere', async () => {
    const status = await checkFfmpeg('/nonexistent/ffmpeg');
    expect(status.available).toBe(false);
    expect(status.detail).toMatch(/nonexistent|No such file/);
  });

  it.each([
    ['video-12s.mp4', 'passthrough', 'MP4', 'MP4 video (AAC)', 16_000, 12],
    ['prompt-3s.aac', 'ffmpeg', 'AAC (ADTS)', 'AAC (ADTS)', 16_000, 3.14],
    ['prompt-3s.aiff', 'ffmpeg', 'AIFF', 'AIFF (PCM)', 11_025, 3.04],
  ])('%s (%s %s) becomes a 16-bit mono WAV', async (name, route, kind, from, rate, seconds) => {
    const path = await dir.file(name, fixture(name));
    // An MP4 is first offered to inspection (audio-only AAC passes through as M4A); this one is a video.
    expect(await kindOf(path)).toEqual({ route, format: kind });
    const converted = await convertWithFfmpeg(runner, path, kind, limits);
    const length = await expectMonoWav(converted.wav, rate);
    expect(converted.from).toBe(from);
    expect(length).toBeCloseTo(seconds, 1);
    expect(new DataView(converted.wav.buffer).getUint32(40, true)).toBe(converted.wav.length - 44);
  });

  it('an MP4 whose moov box comes last converts fully (ffmpeg reads the file, not a pipe)', async () => {
    // video-12s.mp4 was written without +faststart: its moov box is at the end.
    const mp4 = fixture('video-12s.mp4');
    expect(mp4.indexOf('moov')).toBeGreaterThan(mp4.indexOf('mdat'));
    const converted = await convertWithFfmpeg(runner, await dir.file('late-moov.mp4', mp4), 'MP4', limits);
    expect(converted.durationSeconds).toBeGreaterThan(11.9);
  });

  it('stops at the purpose maximum plus a second', async () => {
    const path = await dir.file('long.mp4', fixture('video-12s.mp4'));
    const error = await convertWithFfmpeg(runner, path, 'MP4', {
      maxSeconds: 5,
      maxBytes: limits.maxBytes,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioTooLongError);
    expect(error).toMatchObject({ atLeast: false });
  });

  it('refuses garbage it was handed, and a file type outside its whitelist', async () => {
    const garbage = await dir.file('garbage.bin', Buffer.alloc(20_000, 0x5a));
    await expect(convertWithFfmpeg(runner, garbage, 'file', limits)).rejects.toThrow(ConversionFailedError);
    // An HTML page is something ffmpeg could open with another demuxer; the whitelist refuses it.
    const html = await dir.file('page.html', Buffer.from('<!doctype html><html><body>hi</body></html>'));
    await expect(convertWithFfmpeg(runner, html, 'file', limits)).rejects.toThrow(ConversionFailedError);
  });
});

describe('how ffmpeg is run', () => {
  /** A stand-in "ffmpeg": a shell script that records its arguments and environment, then runs `body`. */
  async function fakeFfmpeg(name: string, body: string) {
    const log = `${dir.path}/${name}.log`;
    const path = await dir.file(
      name,
      Buffer.from(`#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\nenv >> '${log}'\n${body}\n`),
    );
    await chmod(path, 0o755);
    return { path, args: async () => (await readFile(log, 'utf8')).split('\n') };
  }

  it("reads only local files of whitelisted formats, with none of the bot's environment", async () => {
    const ffmpeg = await fakeFfmpeg('recording-ffmpeg', 'exit 1');
    const input = await dir.file('input.aac', fixture('prompt-3s.aac'));
    // The bot's process holds its secrets in its environment; ffmpeg must not inherit them.
    process.env.DMXAPI_API_KEY = 'sk-must-not-reach-ffmpeg';
    try {
      await convertWithFfmpeg({ ...runner, ffmpegPath: ffmpeg.path }, input, 'AAC (ADTS)', limits).catch(
        () => undefined,
      );
    } finally {
      delete process.env.DMXAPI_API_KEY;
    }
    const args = await ffmpeg.args();
    expect(args.slice(args.indexOf('-protocol_whitelist'), args.indexOf('-protocol_whitelist') + 2)).toEqual([
      '-protocol_whitelist',
      'file',
    ]);
    expect(args[args.indexOf('-format_whitelist') + 1]).toBe(FFMPEG_INPUT_FORMATS);
    expect(args).toContain('-nostdin');
    expect(args[args.indexOf('-i') + 1]).toBe(input);
    expect(args.join('\n')).not.toMatch(/DMXAPI|DISCORD|sk-/);
  });

  // The script sleeps 30 s, past the test's own 20 s limit: only a kill at 300 ms lets this pass.
  it('is killed at its time limit, and the file is refused as taking too long', async () => {
    const ffmpeg = await fakeFfmpeg('hanging-ffmpeg', 'exec sleep 30');
    const input = await dir.file('slow.aac', fixture('prompt-3s.aac'));
    const error = await convertWithFfmpeg(
      { ffmpegPath: ffmpeg.path, timeoutMs: 300 },
      input,
      'AAC (ADTS)',
      limits,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConversionFailedError);
    expect(error).toMatchObject({ reason: 'timeout', timeoutMs: 300 });
  });
});

describe("reading ffmpeg's stream summary", () => {
  it('takes a video with no audio track for what it is', () => {
    const stderr = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x':\n  Duration: 00:00:12.00, start: 0.000000, bitrate: 38 kb/s\n  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p, 64x64, 5 fps\n`;
    expect(() => parseProbe(stderr, 'MP4')).toThrow(NoAudioTrackError);
  });

  it('does not take a length ffmpeg estimated from the bitrate as a claim', () => {
    const stderr = `[aac @ 0x1] Estimating duration from bitrate, this may be inaccurate\nInput #0, aac, from 'x':\n  Duration: 00:00:04.98, bitrate: 72 kb/s\n  Stream #0:0: Audio: aac (LC), 44100 Hz, stereo, fltp, 72 kb/s\n`;
    expect(parseProbe(stderr, 'AAC (ADTS)')).toEqual({
      format: 'AAC (ADTS)',
      sampleRate: 44_100,
      channels: 2,
      statedSeconds: undefined,
      estimatedSeconds: 4.98,
    });
  });
});
