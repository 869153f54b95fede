/**
 * Removes credentials from text that leaves the process: log lines, service messages shown in
 * Discord, configuration errors. pino's `redact` only knows paths; these work on the text itself, so
 * a token inside a URL, an error message, a stack or a nested cause is caught wherever it sits.
 */

export const REDACTED = '[redacted]';

/** Characters that end a token in a URL, a header, JSON or prose. */
const TOKEN = String.raw`[^\s/?#"'\\<>&,;)]+`;

/**
 * Shapes that are a credential in any text, with what to keep around them. Interaction tokens let
 * anyone answer as the bot for 15 minutes: discord.js puts them into every webhook and callback URL.
 */
const CREDENTIAL_SHAPES: readonly [RegExp, string][] = [
  [new RegExp(String.raw`(/(?:webhooks|interactions)/\d{15,22}/)${TOKEN}`, 'g'), `$1${REDACTED}`],
  // An interaction token is base64url of "interaction:<id>:…"; this is its fixed beginning.
  [/aW50ZXJhY3Rpb246[\w-]+/g, REDACTED],
  [/\b(Bearer\s+)[\w.~+/=-]{8,}/gi, `$1${REDACTED}`],
  // DMXAPI, OpenAI-style and similar keys: sk-…, sess-…
  [/\b(?:sk|sess|pk|rk)-[\w-]{8,}/g, REDACTED],
  // Discord bot tokens: base64 user id, timestamp, HMAC.
  [/\b[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}/g, REDACTED],
];

/**
 * Long runs of random-looking characters (keys, HMACs, session ids). Kept out of log lines, which
 * carry sha256 digests and ids on purpose, but applied to text written by someone else.
 */
const RANDOM_RUN = /[\w+/=-]{20,}/g;

function isRandomLooking(run: string): boolean {
  const digits = /\d/.test(run);
  const lower = /[a-z]/.test(run);
  const upper = /[A-Z]/.test(run);
  if (digits && lower && upper) return true;
  // Hex or single-case base32/base64 needs more length before it stops looking like a word or a name.
  return run.length >= 32 && digits && (lower || upper);
}

/** Exact values known to be secret; short ones are skipped, so a test value like "x" cannot eat text. */
function knownSecrets(known: readonly string[]): string[] {
  const values = new Set<string>();
  for (const secret of known) {
    if (secret.length < 8) continue;
    values.add(secret);
    // As it appears inside a JSON string.
    values.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...values].sort((a, b) => b.length - a.length);
}

/**
 * Interaction and webhook tokens, bearer tokens, keys and bot tokens, and every `known` secret.
 * Safe on a whole JSON log line: nothing it inserts needs escaping.
 */
export function redactCredentials(text: string, known: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets(known)) result = result.replaceAll(secret, REDACTED);
  for (const [shape, replacement] of CREDENTIAL_SHAPES) result = result.replace(shape, replacement);
  return result;
}

/** For text from outside (a service's error message, a configuration value): also long random runs. */
export function redactSecrets(text: string, known: readonly string[] = []): string {
  return redactCredentials(text, known).replace(RANDOM_RUN, (run) => (isRandomLooking(run) ? REDACTED : run));
}

/** Whether `text` holds anything redactSecrets would remove. */
export function containsSecret(text: string, known: readonly string[] = []): boolean {
  return redactSecrets(text, known) !== text;
}

/**
 * Whether a value someone typed into a setting may be a credential pasted into the wrong place:
 * anything redactSecrets would remove, or a run of 16 or more letters and digits mixed (no setting
 * but a secret holds one; ids are digits only, host labels and words have no digits mixed in).
 */
export function looksLikeSecret(value: string, known: readonly string[] = []): boolean {
  if (containsSecret(value, known)) return true;
  return (value.match(/[\w+/=-]{16,}/g) ?? []).some((run) => /\d/.test(run) && /[a-z]/i.test(run));
}
