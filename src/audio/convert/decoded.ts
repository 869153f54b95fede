/** What a decoder hands the WAV builder, piece by piece, so no decoder holds a whole file's audio. */
export type DecodedPiece =
  | {
      readonly kind: 'audio';
      /** Planar samples, -1..1, at the rate the decoder was asked for. */
      readonly channelData: readonly Float32Array[];
      readonly frames: number;
    }
  /** Drop this many frames from the end of what came before (an Ogg link's end trimming). */
  | { readonly kind: 'trim'; readonly frames: number };

/** What a source's header says, read before anything is decoded. */
export interface SourceInfo {
  /** How the user is told what they posted: "Ogg Opus", "FLAC", "WebM Opus", "WAV". */
  readonly format: string;
  readonly codec: 'opus' | 'other';
  readonly sampleRate: number;
  readonly channels: number;
  /** The length the container states, in seconds (Opus: after pre-skip); undefined when it states none. */
  readonly statedSeconds: number | undefined;
  /** A length to size the output by when none is stated (WebM's last timestamp); never cross-checked. */
  readonly estimatedSeconds?: number | undefined;
}

export interface WasmDecoder {
  probe(path: string): Promise<SourceInfo>;
  /** Decodes at `sampleRate` (Opus: one of its own rates; others: their source rate). */
  decode(path: string, info: SourceInfo, sampleRate: number): AsyncGenerator<DecodedPiece>;
}

/** Most channels we decode: beyond 8 a file is a hostile one (or not a recording of a voice). */
export const MAX_CHANNELS = 8;
