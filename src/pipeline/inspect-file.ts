/**
 * Reads from a downloaded file what inspection needs, in the audio worker. A WAV is judged by its
 * chunks before the samples (what they are, how many bytes there are), never by the samples, so it
 * is read only up to its data chunk's header: while a 20 MB WAV is checked, it costs kilobytes, not
 * its size. Anything else is read whole: an MP3's length is counted in frames to the end, and an
 * MP4's tables may sit anywhere.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { inspectAudio, type AudioInfo } from './inspect.ts';
import { ascii, STRUCTURE_LIMITS } from './structure-limits.ts';
import { isWav } from './wav-layout.ts';

const FIRST_READ_BYTES = 64 * 1024;

export interface InspectedBytes {
  /** The file, or for a WAV its start: at least through the data chunk's header when there is one. */
  readonly bytes: Uint8Array;
  readonly fileSize: number;
}

export async function inspectFile(path: string): Promise<AudioInfo> {
  const { bytes, fileSize } = await readForInspection(path);
  return inspectAudio(bytes, fileSize);
}

export async function readForInspection(path: string): Promise<InspectedBytes> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    let bytes = await readStart(file, new Uint8Array(0), Math.min(size, FIRST_READ_BYTES));
    if (!isWav(bytes)) return { bytes: await readStart(file, bytes, size), fileSize: size };
    // Read on, doubling, until the data chunk's header is in: few reads even past a long LIST chunk.
    while (bytes.length < size) {
      const needed = wavHeaderLength(bytes);
      if (needed <= bytes.length) break;
      bytes = await readStart(file, bytes, Math.min(size, Math.max(needed, bytes.length * 2)));
    }
    return { bytes, fileSize: size };
  } finally {
    await file.close();
  }
}

/** The file's first `length` bytes, reusing the `known` start already read. */
async function readStart(file: FileHandle, known: Uint8Array, length: number): Promise<Uint8Array> {
  if (length <= known.length) return known;
  const bytes = new Uint8Array(length);
  bytes.set(known);
  let at = known.length;
  while (at < length) {
    const { bytesRead } = await file.read(bytes, at, length - at, at);
    // The download is complete and nothing writes to it: a file shorter than it was is not read on.
    if (bytesRead === 0) throw new Error(`the file ended at ${at} of ${length} bytes`);
    at += bytesRead;
  }
  return bytes;
}

/**
 * Bytes from the start of a RIFF/WAVE file through its data chunk's header, as far as `bytes` tell:
 * more than `bytes.length` while a chunk runs past them. Past the chunk limit it asks for no more,
 * and checkStructure() refuses the file on what was read.
 */
function wavHeaderLength(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 12;
  for (let chunks = 0; offset + 8 <= bytes.length; chunks++) {
    if (chunks > STRUCTURE_LIMITS.riff_chunk_count) return bytes.length;
    if (ascii(bytes, offset, offset + 4) === 'data') return offset + 8;
    const size = view.getUint32(offset + 4, true);
    offset += 8 + size + (size % 2);
  }
  return offset + 8;
}
