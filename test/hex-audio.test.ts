import { describe, expect, it } from 'vitest';
import { DmxapiAudioTooLargeError } from '../src/dmxapi/errors.ts';
import { HexAudioExtractor } from '../src/dmxapi/hex-audio.ts';

function extract(text: string | Buffer, step: number, maxAudio = 1 << 20, maxText = 1 << 16) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const extractor = new HexAudioExtractor(maxAudio, maxText);
  for (let offset = 0; offset < bytes.length; offset += step)
    extractor.write(bytes.subarray(offset, offset + step));
  return extractor.end();
}

const audio = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff));
const answer = (hex = audio.toString('hex')) =>
  `{"data":{"audio":"${hex}","status":2},"trace_id":"t\\"{\\"audio\\":\\"","extra_info":{"audio":"zz","usage_characters":5},"base_resp":{"status_code":0}}`;

describe('HexAudioExtractor', () => {
  it.each([1, 2, 3, 7, 64, 100_000])(
    'decodes data.audio fed %i bytes at a time, leaving the rest intact',
    (step) => {
      const { text, audio: decoded, problem } = extract(answer(), step);
      expect(problem).toBeUndefined();
      expect(decoded?.equals(audio)).toBe(true);
      expect(JSON.parse(text)).toEqual({
        data: { audio: '', status: 2 },
        trace_id: 't"{"audio":"',
        extra_info: { audio: 'zz', usage_characters: 5 },
        base_resp: { status_code: 0 },
      });
    },
  );

  it('accepts upper-case hex', () => {
    expect(extract(answer(audio.toString('hex').toUpperCase()), 5).audio?.equals(audio)).toBe(true);
  });

  it('finds data.audio after other keys, whatever the order', () => {
    const text = `{"base_resp":{"status_code":0},"data":{"status":2,"x":[1,{"audio":"00"}],"audio":"0aff"}}`;
    expect([...(extract(text, 3).audio ?? [])]).toEqual([0x0a, 0xff]);
  });

  it('gives no audio when the answer has none, and ignores "audio" keys elsewhere', () => {
    const result = extract(
      `{"audio":"00ff","data":{"inner":{"audio":"00"}},"base_resp":{"status_code":1004}}`,
      4,
    );
    expect(result.audio).toBeUndefined();
    expect(JSON.parse(result.text)).toMatchObject({ audio: '00ff', base_resp: { status_code: 1004 } });
  });

  it.each([
    ['an odd number of digits', answer('abc'), 'odd number'],
    ['a character that is not hex', answer('0g'), 'not a hex digit'],
    ['an escape inside the hex', answer('00\\u0030'), 'not a hex digit'],
    ['data.audio twice', `{"data":{"audio":"00","audio":"11"}}`, 'twice'],
  ])('reports %s', (_label, text, problem) => {
    expect(extract(text, 2).problem).toContain(problem);
  });

  it('stops at the audio limit without decoding further', () => {
    expect(() => extract(answer(), 16, 299)).toThrow(DmxapiAudioTooLargeError);
    expect(extract(answer(), 16, 300).audio?.length).toBe(300);
  });

  it('reports JSON besides the audio that passes its own limit', () => {
    const long = `{"data":{"audio":"00"},"pad":"${'x'.repeat(500)}"}`;
    expect(extract(long, 50, 100, 200).problem).toContain('200 bytes');
  });

  it('never holds the hex: a 4 MiB audio string leaves only the small JSON as text', () => {
    const big = Buffer.alloc(4 << 20, 0xab);
    const result = extract(Buffer.from(answer(big.toString('hex'))), 65_536, 8 << 20);
    expect(result.audio?.equals(big)).toBe(true);
    expect(result.text.length).toBeLessThan(300);
  });
});
