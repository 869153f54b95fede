import { readFileSync } from 'node:fs';

/**
 * A real PCM WAV of any length: a quiet 220 Hz tone, so parsers see genuine samples.
 * 8 kHz mono 16-bit keeps a 5-minute file at 4.8 MB.
 */
export function makeWav(seconds: number, { sampleRate = 8000, channels = 1 } = {}): Buffer {
  const frames = Math.round(seconds * sampleRate);
  const dataBytes = frames * channels * 2;
  const wav = Buffer.alloc(44 + dataBytes);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + dataBytes, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(channels, 22);
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * channels * 2, 28);
  wav.writeUInt16LE(channels * 2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(dataBytes, 40);
  for (let frame = 0; frame < frames; frame++) {
    const sample = Math.round(3000 * Math.sin((2 * Math.PI * 220 * frame) / sampleRate));
    for (let channel = 0; channel < channels; channel++)
      wav.writeInt16LE(sample, 44 + (frame * channels + channel) * 2);
  }
  return wav;
}

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
}
