import { ascii } from './file-reader.ts';

/** Where a FLAC stream's "fLaC" marker is (after an ID3v2 tag some taggers put first), or undefined. */
export function flacStart(head: Uint8Array): number | undefined {
  const start = ascii(head, 0, 3) === 'ID3' && head.length >= 10 ? 10 + id3Size(head) : 0;
  return ascii(head, start, start + 4) === 'fLaC' ? start : undefined;
}

function id3Size(head: Uint8Array): number {
  const b = (i: number) => (head[i] as number) & 0x7f;
  const footer = ((head[5] as number) & 0x10) !== 0 ? 10 : 0;
  return ((b(6) << 21) | (b(7) << 14) | (b(8) << 7) | b(9)) + footer;
}
