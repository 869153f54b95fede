import {
  CAP_MARGIN_SECONDS,
  LENGTH_TOLERANCE_SECONDS,
  SILENCE_PEAK,
  type ConvertedAudio,
  type ConvertLimits,
} from './convert-wasm.ts';
import {
  AudioTooLongError,
  ConversionFailedError,
  ConvertedTooLargeError,
  DecodedLengthMismatchError,
  NoAudioDecodedError,
  SilentAudioError,
} from './errors.ts';
import { probeWithFfmpeg } from './ffmpeg-probe.ts';
import { runFfmpeg, SAFE_INPUT_OPTIONS, type FfmpegRunner } from './ffmpeg-process.ts';
import { writeWavHeader } from './mono-wav.ts';
import { candidateRates, chooseOutputRate, WAV_HEADER_BYTES, wavBytesFor } from './output-rate.ts';

/**
 * Converts what no WASM decoder covers (MP4/MOV video, ADTS AAC, AIFF, ...) with a separate ffmpeg
 * process. ffmpeg reads the temp file itself, never a pipe: an MP4 whose `moov` box comes last gives
 * empty output from a pipe while ffmpeg still exits 0. It writes raw 16-bit mono PCM, which lands
 * straight behind a WAV header we write (ffmpeg's own piped WAV header has 0xFFFFFFFF sizes).
 * Same rules as the WASM path: capped length, cross-checked against the container, no silence.
 */
export async function convertWithFfmpeg(
  runner: FfmpegRunner,
  path: string,
  format: string,
  limits: ConvertLimits,
): Promise<ConvertedAudio> {
  const probe = await probeWithFfmpeg(runner, path, format);
  const capSeconds = limits.maxSeconds + CAP_MARGIN_SECONDS;
  if (probe.statedSeconds !== undefined && probe.statedSeconds > capSeconds) {
    throw new AudioTooLongError(probe.format, probe.statedSeconds, false, limits.maxSeconds);
  }
  const candidates = candidateRates('other', probe.sampleRate);
  const sizing = Math.min(
    (probe.statedSeconds ?? probe.estimatedSeconds ?? capSeconds) + LENGTH_TOLERANCE_SECONDS,
    capSeconds,
  );
  const rate = chooseOutputRate(candidates, sizing, limits.maxBytes);
  if (rate === undefined) {
    const lowest = candidates[candidates.length - 1] as number;
    throw new ConvertedTooLargeError(
      sizing,
      lowest,
      wavBytesFor(Math.ceil(sizing * lowest)),
      limits.maxBytes,
    );
  }

  const limitSeconds = Math.min(capSeconds, (probe.statedSeconds ?? Infinity) + LENGTH_TOLERANCE_SECONDS);
  const maxFrames = Math.ceil(limitSeconds * rate) + 1;
  const wav = new Uint8Array(new ArrayBuffer(WAV_HEADER_BYTES + maxFrames * 2));
  // Filled from ffmpeg's output callback; an object so the checks below see what it wrote.
  const sink = { written: WAV_HEADER_BYTES, full: false };
  const result = await runFfmpeg(
    runner,
    [
      ...SAFE_INPUT_OPTIONS,
      '-i',
      path,
      '-map',
      '0:a:0',
      '-vn',
      '-sn',
      '-dn',
      '-ac',
      '1',
      '-ar',
      String(rate),
      // A little past the limit, so a file longer than it shows as such rather than as exactly the cap.
      '-t',
      String(limitSeconds + 0.5),
      '-f',
      's16le',
      '-acodec',
      'pcm_s16le',
      'pipe:1',
    ],
    (chunk) => {
      const room = wav.length - sink.written;
      if (chunk.length > room) {
        wav.set(chunk.subarray(0, room), sink.written);
        sink.written = wav.length;
        sink.full = true;
        return false;
      }
      wav.set(chunk, sink.written);
      sink.written += chunk.length;
      return true;
    },
  );
  if (result.timedOut) throw new ConversionFailedError(probe.format, 'timeout', undefined, runner.timeoutMs);
  const frames = Math.floor((sink.written - WAV_HEADER_BYTES) / 2);
  const decodedSeconds = frames / rate;
  if (sink.full) {
    if (probe.statedSeconds !== undefined && probe.statedSeconds + LENGTH_TOLERANCE_SECONDS < capSeconds) {
      throw new DecodedLengthMismatchError(probe.format, probe.statedSeconds, decodedSeconds, true);
    }
    throw new AudioTooLongError(probe.format, decodedSeconds, true, limits.maxSeconds);
  }
  if (result.exitCode !== 0) {
    const memory =
      /Cannot allocate memory|failed to map segment/i.test(result.stderr) || result.signal !== null;
    throw new ConversionFailedError(probe.format, memory ? 'memory' : 'unreadable', lastLine(result.stderr));
  }
  if (frames === 0) throw new NoAudioDecodedError(probe.format);
  if (
    probe.statedSeconds !== undefined &&
    Math.abs(decodedSeconds - probe.statedSeconds) > LENGTH_TOLERANCE_SECONDS
  ) {
    throw new DecodedLengthMismatchError(probe.format, probe.statedSeconds, decodedSeconds, false);
  }
  const bytes = wav.buffer.transferToFixedLength(WAV_HEADER_BYTES + frames * 2);
  const samples = new Int16Array(bytes, WAV_HEADER_BYTES);
  const peak = peakOf(samples) / 32768;
  if (peak < SILENCE_PEAK)
    throw new SilentAudioError(probe.format, peak === 0 ? -Infinity : 20 * Math.log10(peak), -60);
  if (bytes.byteLength > limits.maxBytes) {
    throw new ConvertedTooLargeError(decodedSeconds, rate, bytes.byteLength, limits.maxBytes);
  }
  writeWavHeader(new DataView(bytes), rate, frames);
  return {
    wav: new Uint8Array(bytes),
    sampleRate: rate,
    durationSeconds: decodedSeconds,
    from: probe.format,
    sourceSampleRate: probe.sampleRate,
    sourceChannels: probe.channels,
  };
}

function peakOf(samples: Int16Array): number {
  let peak = 0;
  for (const sample of samples) {
    const magnitude = sample < 0 ? -sample : sample;
    if (magnitude > peak) peak = magnitude;
  }
  return peak;
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return (lines[lines.length - 1] ?? '').trim().slice(0, 200);
}
