import { describe, expect, it } from 'vitest';
import { MonoWavBuilder } from '../src/audio/convert/mono-wav.ts';
import { candidateRates, chooseOutputRate } from '../src/audio/convert/output-rate.ts';
import { createResampler } from '../src/audio/convert/speex-resampler.ts';
import { readWav, rmsOf } from './support/converted.ts';

function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(rate * seconds) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate),
  );
}

async function resampleToWav(input: Float32Array, from: number, to: number, chunk = 4000) {
  const resampler = await createResampler(from, to);
  const builder = new MonoWavBuilder({ sampleRate: to, maxFrames: input.length, resampler });
  for (let at = 0; at < input.length; at += chunk)
    builder.append([input.subarray(at, at + chunk)], Math.min(chunk, input.length - at));
  const wav = builder.finish();
  resampler.destroy();
  return wav;
}

describe('resampling (Speex, band-limited)', () => {
  it('keeps a 1 kHz tone and the exact length, fed in chunks', async () => {
    const wav = await resampleToWav(tone(1000, 48_000, 2), 48_000, 32_000);
    expect(wav.frames).toBe(64_000);
    expect(rmsOf(wav.bytes)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    expect((await readWav(wav.bytes)).sampleRate).toBe(32_000);
  });

  it('removes a tone above the new Nyquist frequency instead of folding it back (linear interpolation keeps it at -3 dB)', async () => {
    // 20 kHz cannot exist at 32 kHz (Nyquist 16 kHz); an aliasing resampler would turn it into 12 kHz.
    const wav = await resampleToWav(tone(20_000, 48_000, 2), 48_000, 32_000);
    const db = 20 * Math.log10(rmsOf(wav.bytes) / (0.5 / Math.SQRT2));
    expect(db).toBeLessThan(-60);
  });

  it('44.1 kHz to 22.05 kHz is exact in length too', async () => {
    const wav = await resampleToWav(tone(440, 44_100, 3), 44_100, 22_050, 1234);
    expect(wav.frames).toBe(66_150);
  });
});

describe('output rate', () => {
  it('never goes above the source, and walks the standard rates down', () => {
    expect(candidateRates('other', 48_000)).toEqual([48_000, 44_100, 32_000, 24_000, 22_050, 16_000]);
    expect(candidateRates('other', 22_050)).toEqual([22_050, 16_000]);
    expect(candidateRates('other', 8000)).toEqual([8000]);
    expect(candidateRates('opus', 48_000)).toEqual([48_000, 24_000, 16_000]);
  });

  it('picks the highest rate whose WAV fits', () => {
    const maxBytes = 20 * 1024 * 1024;
    expect(chooseOutputRate([48_000, 24_000, 16_000], 300, maxBytes)).toBe(24_000);
    expect(chooseOutputRate([48_000, 24_000, 16_000], 200, maxBytes)).toBe(48_000);
    expect(chooseOutputRate([48_000, 44_100, 32_000], 300, maxBytes)).toBe(32_000);
    expect(chooseOutputRate([16_000], 700, maxBytes)).toBeUndefined();
  });
});

describe('MonoWavBuilder', () => {
  it('averages channels and stops at its cap', () => {
    const builder = new MonoWavBuilder({ sampleRate: 8000, maxFrames: 5 });
    const left = Float32Array.from([1, 1, 1, 1]);
    const right = Float32Array.from([0, 0, 0, 0]);
    expect(builder.append([left, right], 4)).toBe(true);
    expect(builder.append([left, right], 4)).toBe(false);
    const wav = builder.finish();
    expect(wav.frames).toBe(5);
    expect([...new Int16Array(wav.bytes.buffer, 44)]).toEqual([16384, 16384, 16384, 16384, 16384]);
    expect(wav.bytes.length).toBe(54);
  });
});
