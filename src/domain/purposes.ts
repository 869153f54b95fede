/**
 * What a sample is uploaded for. Shared vocabulary: the DMXAPI client, the pipeline, the history
 * and the Discord layer all speak it, so it lives below all of them.
 */
export const PURPOSES = ['voice_clone', 'prompt_audio'] as const;
export type Purpose = (typeof PURPOSES)[number];

export function isPurpose(value: string): value is Purpose {
  return (PURPOSES as readonly string[]).includes(value);
}
