import type { UploadOutcome } from '../../src/pipeline/upload-pipeline.ts';

/**
 * A finished upload as the pipeline hands it to the replies: a 12.7 s MP3 with a file_id past 2^53,
 * so a reply that rounds it through a number shows up.
 */
export const UPLOADED_MP3: UploadOutcome = {
  file: {
    fileId: '9007199254740993123',
    bytes: 203955,
    createdAt: 1770876014,
    filename: 'audio.mp3',
    purpose: 'voice_clone',
    usage: { totalTokens: 203, inputTokens: 0, outputTokens: 203 },
    requestId: undefined,
    attempts: 1,
  },
  audio: {
    format: 'mp3',
    codec: 'MPEG 1 Layer 3',
    durationSeconds: 12.708,
    sampleRate: 44100,
    channels: 1,
    bitrate: 128000,
  },
  bytes: 203955,
  sha256: 'f'.repeat(64),
  timings: { downloadMs: 1, inspectMs: 1, uploadMs: 1 },
};
