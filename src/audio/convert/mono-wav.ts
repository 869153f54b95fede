import { BYTES_PER_SAMPLE, WAV_HEADER_BYTES } from './output-rate.ts';
import type { StreamingResampler } from './speex-resampler.ts';

export interface MonoWav {
  /** A complete RIFF/WAVE file: 16-bit PCM, mono. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  readonly sampleRate: number;
  readonly frames: number;
  /** Loudest sample before quantisation, 0..1 (clipped input can exceed 1). */
  readonly peak: number;
}

export interface MonoWavBuilderOptions {
  /** Rate of the WAV written. */
  readonly sampleRate: number;
  /** Frames past this are not kept: append() returns false and the caller stops decoding. */
  readonly maxFrames: number;
  /** First allocation, in frames (the length the container states); grows up to maxFrames. */
  readonly expectedFrames?: number | undefined;
  /** Set when the decoder's rate differs from `sampleRate`. */
  readonly resampler?: StreamingResampler | undefined;
}

/**
 * Collects decoded audio straight into the WAV that is sent: channels averaged to mono, resampled if
 * needed, quantised to 16 bits, behind room for the header. Memory is one copy of the output (grown
 * by doubling when the container stated no length), whatever the decoder's channels or rate.
 */
export class MonoWavBuilder {
  readonly #rate: number;
  readonly #maxFrames: number;
  readonly #resampler: StreamingResampler | undefined;
  #buffer: ArrayBuffer;
  #samples: Int16Array;
  #frames = 0;
  #peak = 0;
  #full = false;
  #mono = new Float32Array(0);

  constructor(options: MonoWavBuilderOptions) {
    this.#rate = options.sampleRate;
    this.#maxFrames = options.maxFrames;
    this.#resampler = options.resampler;
    const initial = Math.min(options.expectedFrames ?? options.sampleRate * 30, options.maxFrames);
    this.#buffer = new ArrayBuffer(WAV_HEADER_BYTES + Math.max(initial, 0) * BYTES_PER_SAMPLE, {
      maxByteLength: WAV_HEADER_BYTES + options.maxFrames * BYTES_PER_SAMPLE,
    });
    this.#samples = new Int16Array(this.#buffer, WAV_HEADER_BYTES);
  }

  get frames(): number {
    return this.#frames;
  }

  /** True once maxFrames was reached and audio was left out. */
  get full(): boolean {
    return this.#full;
  }

  /**
   * Adds `frames` frames of planar audio at the decoder's rate. Returns false once the cap is reached
   * (what passed it is dropped): decoding should stop.
   */
  append(channelData: readonly Float32Array[], frames: number): boolean {
    if (this.#full) return false;
    const channels = channelData.length;
    if (channels === 0 || frames === 0) return true;
    if (this.#mono.length < frames) this.#mono = new Float32Array(frames);
    const mono = this.#mono.subarray(0, frames);
    const first = channelData[0] as Float32Array;
    if (channels === 1) mono.set(first.subarray(0, frames));
    else {
      const scale = 1 / channels;
      for (let i = 0; i < frames; i++) {
        let sum = 0;
        for (const channel of channelData) sum += channel[i] as number;
        mono[i] = sum * scale;
      }
    }
    return this.#write(this.#resampler ? this.#resampler.process(mono) : mono);
  }

  /** Drops the last `frames` frames (Ogg's end trimming). Only without resampling. */
  dropLast(frames: number): void {
    if (this.#resampler) throw new Error('dropLast() cannot be used while resampling');
    this.#frames = Math.max(0, this.#frames - frames);
  }

  /** Flushes the resampler and returns the finished WAV (the buffer is trimmed to its length). */
  finish(): MonoWav {
    if (this.#resampler && !this.#full) this.#write(this.#resampler.flush());
    const byteLength = WAV_HEADER_BYTES + this.#frames * BYTES_PER_SAMPLE;
    // transferToFixedLength returns the memory past the end at once (no copy when it can shrink in place).
    const buffer = this.#buffer.transferToFixedLength(byteLength);
    writeWavHeader(new DataView(buffer), this.#rate, this.#frames);
    return { bytes: new Uint8Array(buffer), sampleRate: this.#rate, frames: this.#frames, peak: this.#peak };
  }

  #write(samples: Float32Array): boolean {
    const room = this.#maxFrames - this.#frames;
    const count = Math.min(samples.length, room);
    this.#reserve(this.#frames + count);
    const out = this.#samples;
    let peak = this.#peak;
    let at = this.#frames;
    for (let i = 0; i < count; i++) {
      const sample = samples[i] as number;
      const magnitude = sample < 0 ? -sample : sample;
      if (magnitude > peak) peak = magnitude;
      const scaled = Math.round(sample * 32767);
      out[at++] = scaled > 32767 ? 32767 : scaled < -32768 ? -32768 : scaled;
    }
    this.#peak = peak;
    this.#frames = at;
    if (count < samples.length) this.#full = true;
    return !this.#full;
  }

  #reserve(frames: number): void {
    if (frames <= this.#samples.length) return;
    const grown = Math.min(Math.max(frames, this.#samples.length * 2), this.#maxFrames);
    this.#buffer.resize(WAV_HEADER_BYTES + grown * BYTES_PER_SAMPLE);
    this.#samples = new Int16Array(this.#buffer, WAV_HEADER_BYTES);
  }
}

/** The canonical 44-byte header of a 16-bit PCM mono WAV with `frames` frames, written by us. */
export function writeWavHeader(view: DataView, sampleRate: number, frames: number): void {
  const dataBytes = frames * BYTES_PER_SAMPLE;
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * BYTES_PER_SAMPLE, true);
  view.setUint16(32, BYTES_PER_SAMPLE, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
}
