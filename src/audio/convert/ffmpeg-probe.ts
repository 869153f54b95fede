import { ConversionFailedError, NoAudioTrackError } from './errors.ts';
import { runFfmpeg, SAFE_INPUT_OPTIONS, type FfmpegRunner } from './ffmpeg-process.ts';

export interface FfmpegProbe {
  /** "MP4 video (AAC)", "AIFF (PCM)": what the user posted, for the reply. */
  readonly format: string;
  readonly sampleRate: number;
  readonly channels: number;
  /** The container's length; undefined when it states none or ffmpeg only guessed it from the bitrate. */
  readonly statedSeconds: number | undefined;
  /** A guess to size the output by (a raw stream's length from its bitrate); never cross-checked. */
  readonly estimatedSeconds: number | undefined;
}

/**
 * Reads what ffmpeg says about the input (`ffmpeg -i file` with no output prints the streams and
 * exits 1). ffmpeg's summary lines have kept this shape for well over a decade.
 */
export async function probeWithFfmpeg(
  runner: FfmpegRunner,
  path: string,
  format: string,
): Promise<FfmpegProbe> {
  const { stderr, timedOut } = await runFfmpeg(runner, [...SAFE_INPUT_OPTIONS, '-i', path]);
  if (timedOut) throw new ConversionFailedError(format, 'timeout', undefined, runner.timeoutMs);
  return parseProbe(stderr, format);
}

export function parseProbe(stderr: string, format: string): FfmpegProbe {
  if (/not on whitelist|Invalid data found|could not find codec parameters/i.test(stderr)) {
    throw new ConversionFailedError(format, 'unreadable', lastLine(stderr));
  }
  if (/Cannot allocate memory|failed to map segment/i.test(stderr))
    throw new ConversionFailedError(format, 'memory');
  const audio = /Stream #\d+:\d+[^:]*: Audio: ([a-z0-9_]+)[^\n]*?(\d+) Hz, ([^,\n]+)/.exec(stderr);
  const hasVideo = /Stream #\d+:\d+[^:]*: Video: (?!mjpeg|png)/.test(stderr);
  if (!audio) throw new NoAudioTrackError(hasVideo ? `${format} video` : format);
  const [, codec = '', rate = '0', layout = ''] = audio;
  const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(stderr);
  const seconds = duration
    ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])
    : undefined;
  // For raw streams (ADTS, MP3) ffmpeg estimates the length from the bitrate: a guess, not a claim.
  const estimated = /Estimating duration from bitrate/.test(stderr);
  const name = codecName(codec);
  return {
    // "MP4 video (AAC)", "AIFF (PCM)"; "AAC (ADTS)" already names its codec.
    format: `${format}${hasVideo ? ' video' : ''}${format.toUpperCase().includes(name) ? '' : ` (${name})`}`,
    sampleRate: Number(rate),
    channels: channelCount(layout.trim()),
    statedSeconds: estimated ? undefined : seconds,
    estimatedSeconds: seconds,
  };
}

function codecName(codec: string): string {
  if (codec === 'aac') return 'AAC';
  if (codec.startsWith('pcm_')) return 'PCM';
  return codec.replace(/^lib/, '').toUpperCase();
}

function channelCount(layout: string): number {
  if (layout === 'mono') return 1;
  if (layout === 'stereo') return 2;
  const counted = /^(\d+) channels/.exec(layout);
  if (counted) return Number(counted[1]);
  const surround = /^(\d+)\.(\d+)/.exec(layout);
  return surround ? Number(surround[1]) + Number(surround[2]) : 2;
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return (lines[lines.length - 1] ?? '').trim().slice(0, 200);
}
