/** Which of MiniMax's voice_id rules (docs/dmxapi.md, "Clone") a candidate breaks. */
export type VoiceIdRule = 'length' | 'first_character' | 'characters' | 'last_character';

export const VOICE_ID_MIN_LENGTH = 8;
export const VOICE_ID_MAX_LENGTH = 256;

/** The first rule `voiceId` breaks, or undefined when MiniMax would accept it. */
export function voiceIdProblem(voiceId: string): VoiceIdRule | undefined {
  if (voiceId.length < VOICE_ID_MIN_LENGTH || voiceId.length > VOICE_ID_MAX_LENGTH) return 'length';
  if (!/^[A-Za-z]/.test(voiceId)) return 'first_character';
  if (!/^[A-Za-z0-9_-]+$/.test(voiceId)) return 'characters';
  if (/[-_]$/.test(voiceId)) return 'last_character';
  return undefined;
}

const NAME_PART_MAX = 32;

/**
 * A valid voice_id built from a person's name and a date, e.g. `Alice-20261201`; with `isTaken`,
 * the first of `-2`, `-3`, … that is free. Letters outside ASCII lose their accents or are dropped.
 */
export function suggestVoiceId(
  name: string,
  date: Date,
  isTaken: (voiceId: string) => boolean = () => false,
): string {
  let base = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, NAME_PART_MAX);
  if (!/^[A-Za-z]/.test(base)) base = `voice${base}`;
  const day = date.toISOString().slice(0, 10).replaceAll('-', '');
  const candidate = `${base}-${day}`;
  if (!isTaken(candidate)) return candidate;
  for (let n = 2; ; n++) {
    const numbered = `${candidate}-${n}`;
    if (!isTaken(numbered)) return numbered;
  }
}
