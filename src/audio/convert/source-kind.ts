import { flacStart } from './flac-header.ts';
import { ascii } from './file-reader.ts';
import { readOggHeader } from './ogg-header.ts';

/** Converted in this process by a WASM decoder (or our own WAV reader), with no system program. */
export type WasmSource = 'ogg-opus' | 'ogg-vorbis' | 'flac' | 'webm' | 'wav';

export type SourceKind =
  | { readonly route: 'wasm'; readonly source: WasmSource; readonly format: string }
  /** Only ffmpeg converts it; `format` names it for the reply when ffmpeg is missing. */
  | { readonly route: 'ffmpeg'; readonly format: string }
  /** Passed through as it is when it fits (MP3, M4A): converted only when it is too big. */
  | { readonly route: 'passthrough'; readonly format: string }
  | { readonly route: 'unknown' };

/**
 * Tells from the first bytes (and, for Ogg, the last) how a file is converted. Names what is
 * recognised so a refusal can say what the file is. Not-audio files (images, documents) fall to
 * 'unknown' here; inspection says what they are.
 */
export function sourceKind(head: Uint8Array, tail: Uint8Array): SourceKind {
  const ogg = readOggHeader(head, tail);
  if (ogg) {
    switch (ogg.codec) {
      case 'opus':
        return { route: 'wasm', source: 'ogg-opus', format: 'Ogg Opus' };
      case 'vorbis':
        return { route: 'wasm', source: 'ogg-vorbis', format: 'Ogg Vorbis' };
      case 'flac':
        return { route: 'ffmpeg', format: 'Ogg FLAC' };
      case 'speex':
        return { route: 'ffmpeg', format: 'Ogg Speex' };
      default:
        return { route: 'ffmpeg', format: 'Ogg' };
    }
  }
  if (flacStart(head) !== undefined) return { route: 'wasm', source: 'flac', format: 'FLAC' };
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    // WebM and Matroska share EBML; the demuxer tells the codec. Only Opus is decoded in-process.
    return {
      route: 'wasm',
      source: 'webm',
      format: ascii(head, 0, 64).includes('webm') ? 'WebM' : 'Matroska',
    };
  }
  const riff = ascii(head, 0, 4);
  if (riff === 'RIFF' && ascii(head, 8, 12) === 'WAVE')
    return { route: 'wasm', source: 'wav', format: 'WAV' };
  if (riff === 'RF64' || riff === 'BW64') return { route: 'ffmpeg', format: 'WAV (RF64)' };
  if (riff === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 12)))
    return { route: 'ffmpeg', format: 'AIFF' };
  if (ascii(head, 4, 8) === 'ftyp') return mp4Kind(ascii(head, 8, 12));
  if (ascii(head, 0, 5) === '#!AMR') return { route: 'ffmpeg', format: 'AMR' };
  if (riff === 'caff') return { route: 'ffmpeg', format: 'CAF' };
  if (head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75) {
    return { route: 'ffmpeg', format: 'WMA (ASF)' };
  }
  const mpeg = mpegAudioAt(head, ascii(head, 0, 3) === 'ID3' ? id3End(head) : 0);
  if (mpeg === 'adts') return { route: 'ffmpeg', format: 'AAC (ADTS)' };
  if (mpeg === 'mp3') return { route: 'passthrough', format: 'MP3' };
  return { route: 'unknown' };
}

/**
 * Every ISO-BMFF file is first offered to inspection: audio-only AAC or ALAC passes through as M4A,
 * whatever the brand; a video (or another codec) is converted by ffmpeg.
 */
function mp4Kind(brand: string): SourceKind {
  if (brand === 'qt  ') return { route: 'passthrough', format: 'MOV' };
  if (brand.startsWith('M4A') || brand === 'M4B ') return { route: 'passthrough', format: 'M4A' };
  return { route: 'passthrough', format: brand.startsWith('3g') ? '3GP' : 'MP4' };
}

/** ADTS (AAC) and MPEG audio share a 12-bit sync word; the layer bits tell them apart. */
function mpegAudioAt(head: Uint8Array, at: number): 'adts' | 'mp3' | undefined {
  const first = head[at];
  const second = head[at + 1];
  if (first !== 0xff || second === undefined || (second & 0xf0) !== 0xf0) return undefined;
  const layer = (second >> 1) & 0x03;
  if (layer === 0) return 'adts';
  return layer === 1 ? 'mp3' : undefined;
}

function id3End(head: Uint8Array): number {
  if (head.length < 10) return 0;
  const b = (i: number) => (head[i] as number) & 0x7f;
  return 10 + ((b(6) << 21) | (b(7) << 14) | (b(8) << 7) | b(9));
}
