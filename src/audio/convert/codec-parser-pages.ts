import CodecParser, { type CodecFrame, type MimeType, type OggPage } from 'codec-parser';
import { readChunks } from './file-reader.ts';

/**
 * Yields the parsed pages (Ogg) or frames (FLAC) of a file as it is read, one at a time.
 * codec-parser resynchronises past damage by itself; what it cannot parse it leaves out, and the
 * length cross-check then tells a damaged file from a whole one.
 */
export async function* parsedUnits<T extends OggPage | CodecFrame>(
  path: string,
  mimeType: MimeType,
  onCodec: (codec: string) => void,
): AsyncGenerator<T> {
  const parser = new CodecParser<T>(mimeType, { onCodec, enableFrameCRC32: false });
  for await (const chunk of readChunks(path)) yield* iterable(parser.parseChunk(chunk));
  yield* iterable(parser.flush());
}

// The typings say Iterator; at run time these are generators, which are also iterable.
function iterable<T>(iterator: Iterator<T>): Iterable<T> {
  return { [Symbol.iterator]: () => iterator };
}

/** The page's granule as a number (codec-parser hands a BigInt where the platform has them). */
export function granuleOf(page: OggPage): number {
  const granule = page.absoluteGranulePosition as unknown as number | bigint;
  return Number(granule);
}
