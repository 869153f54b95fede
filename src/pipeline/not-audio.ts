/**
 * Recognises the files people attach by mistake (a photo, a screenshot, a PDF, an Office document),
 * so the reply says what the file is instead of calling it damaged audio.
 */
import { ascii } from './structure-limits.ts';

export const NOT_AUDIO_KINDS = [
  'jpeg',
  'png',
  'gif',
  'webp',
  'heif',
  'pdf',
  'zip',
  'docx',
  'xlsx',
  'pptx',
  'opendocument',
  'video_without_audio',
] as const;
export type NotAudioKind = (typeof NOT_AUDIO_KINDS)[number];

/** What the bytes are when they are one of the common non-audio files, judged by content. */
export function recogniseNotAudio(bytes: Uint8Array): NotAudioKind | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(bytes, 0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'gif';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (ascii(bytes, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(bytes, 8, 12))) return 'heif';
  // PDF readers accept the header anywhere in the first kilobyte.
  if (ascii(bytes, 0, 1024).includes('%PDF-')) return 'pdf';
  if (ascii(bytes, 0, 4) === 'PK\x03\x04' || ascii(bytes, 0, 4) === 'PK\x05\x06') return zipKind(bytes);
  return undefined;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis']);

/** Office Open XML and OpenDocument files are ZIP archives; their entry names tell them apart. */
function zipKind(bytes: Uint8Array): NotAudioKind {
  // OpenDocument stores an uncompressed "mimetype" entry first, at a fixed place.
  if (
    ascii(bytes, 30, 38) === 'mimetype' &&
    ascii(bytes, 38, 73).startsWith('application/vnd.oasis.opendocument')
  ) {
    return 'opendocument';
  }
  const names = centralDirectoryNames(bytes);
  if (names.includes('[Content_Types].xml')) {
    if (names.some((name) => name.startsWith('word/'))) return 'docx';
    if (names.some((name) => name.startsWith('xl/'))) return 'xlsx';
    if (names.some((name) => name.startsWith('ppt/'))) return 'pptx';
  }
  return 'zip';
}

/** Up to the first 1,000 entry names from the central directory at the end of a ZIP archive. */
function centralDirectoryNames(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 bytes plus at most a 64 KiB comment.
  let end = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return [];
  const entries = Math.min(view.getUint16(end + 10, true), 1000);
  let at = view.getUint32(end + 16, true);
  const names: string[] = [];
  for (let i = 0; i < entries && at + 46 <= bytes.length; i++) {
    if (view.getUint32(at, true) !== 0x02014b50) break;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    names.push(ascii(bytes, at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
