import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Reads a file in small pieces. Small on purpose: the decoders are fed piece by piece and a hostile
 * file packs minutes of audio into a few bytes, so the input step bounds the output step.
 */
export async function* readChunks(
  path: string,
  chunkBytes = 16 * 1024,
  start = 0,
): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: chunkBytes, start });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } finally {
    stream.destroy();
  }
}

/** The first and last bytes of a file (headers at the start, Ogg's final granule at the end). */
export async function readHeadAndTail(
  path: string,
  bytes = 64 * 1024,
): Promise<{ head: Uint8Array; tail: Uint8Array; size: number }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const head = new Uint8Array(Math.min(bytes, size));
    await file.read(head, 0, head.length, 0);
    const tailLength = Math.min(bytes, size);
    const tail = new Uint8Array(tailLength);
    await file.read(tail, 0, tailLength, size - tailLength);
    return { head, tail, size };
  } finally {
    await file.close();
  }
}

export function ascii(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}
