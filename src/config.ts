import { isIP } from 'node:net';
import { config as loadDotenv } from 'dotenv';
import { looksLikeSecret } from './redact.ts';
import { DEFAULT_AUDIO_LIMITS, type AudioLimits } from './domain/limits.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface Config {
  readonly discord: {
    readonly token: string;
    readonly apiUrl: string;
    readonly cdnHosts: readonly string[];
  };
  readonly dmxapi: {
    readonly apiKey: string;
    readonly baseUrl: string;
    /** The upload model (DMXAPI_MODEL). */
    readonly model: string;
    readonly cloneModel: string;
    readonly speechModel: string;
    readonly timeoutMs: number;
    /** Hosts a clone's preview audio may be downloaded from; `.example.com` matches its subdomains. */
    readonly audioHosts: readonly string[];
    readonly clonePerMinute: number;
    readonly speechPerMinute: number;
  };
  readonly speech: {
    /** The longest text /say takes, in characters (at most 4000, a modal text input's limit). */
    readonly maxChars: number;
    /** Billed characters a member may use per rolling 24 hours. */
    readonly userDailyChars: number;
  };
  readonly limits: AudioLimits;
  readonly downloadTimeoutMs: number;
  readonly maxConcurrentUploads: number;
  /** Uploads that may wait for a slot; one more is refused at once. */
  readonly maxQueuedUploads: number;
  /** Parsing untrusted files, in worker threads. */
  readonly inspection: {
    /** INSPECT_TIMEOUT_MS: past it the worker is terminated and the file refused as too complex. */
    readonly timeoutMs: number;
    /** INSPECT_WORKERS: most worker threads at once, reading and converting (default: MAX_CONCURRENT_UPLOADS). */
    readonly workers: number;
  };
  /** Turning posted recordings into the WAV that is sent. */
  readonly conversion: {
    /** MAX_INPUT_BYTES: the most downloaded for conversion (what is sent stays under MAX_AUDIO_BYTES). */
    readonly maxInputBytes: number;
    /** FFMPEG_PATH: the ffmpeg program for formats no WASM decoder covers (default: `ffmpeg` on PATH). */
    readonly ffmpegPath: string;
    /** CONVERT_TIMEOUT_MS: the time limit of one conversion, in a worker or in ffmpeg. */
    readonly timeoutMs: number;
  };
  readonly shutdownGraceMs: number;
  readonly access: {
    /** Empty: any guild the bot is in. */
    readonly allowedGuildIds: readonly string[];
    /** Empty: every member. */
    readonly allowedRoleIds: readonly string[];
    readonly userDailyUploadLimit: number;
    readonly userCooldownSeconds: number;
  };
  readonly dataDir: string;
  readonly logLevel: LogLevel;
  /** `pretty` for people at a terminal, `json` for log collectors. */
  readonly logFormat: LogFormat;
  /** Where /healthz and /metrics are served; undefined turns the server off. */
  readonly health: { readonly port: number; readonly host: string } | undefined;
}

/** Every problem found in the environment, listed together so one restart can fix them all. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

/** A modal text input holds at most 4000 characters, so /say's text can never be longer. */
export const MAX_SPEECH_CHARS = 4000;

type Env = Readonly<Record<string, string | undefined>>;

/** Reads `.env` (the real environment wins) and parses it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  loadDotenv({ quiet: true, processEnv: env });
  return parseConfig(env);
}

export function parseConfig(env: Env): Config {
  const read = new EnvReader(env);
  const healthPort = read.optionalPort('HEALTH_PORT');
  const healthHost = read.listenHost('HEALTH_HOST', '0.0.0.0');
  const maxConcurrentUploads = read.positiveInteger('MAX_CONCURRENT_UPLOADS', 4);
  const config: Config = {
    discord: {
      token: read.secret('DISCORD_TOKEN', DISCORD_TOKEN_SHAPE),
      apiUrl: read.url('DISCORD_API_URL', 'https://discord.com/api'),
      cdnHosts: read.hostList('DISCORD_CDN_HOSTS', 'cdn.discordapp.com,media.discordapp.net'),
    },
    dmxapi: {
      apiKey: read.secret('DMXAPI_API_KEY', DMXAPI_KEY_SHAPE),
      baseUrl: read.url('DMXAPI_BASE_URL', 'https://www.dmxapi.cn'),
      model: read.text('DMXAPI_MODEL', 'minimax-clone-upload'),
      cloneModel: read.text('DMXAPI_CLONE_MODEL', 'minimax-clone-lastversion'),
      speechModel: read.text('DMXAPI_SPEECH_MODEL', 'speech-2.8-hd'),
      timeoutMs: read.positiveInteger('DMXAPI_TIMEOUT_MS', 120_000),
      audioHosts: read.hostList(
        'DMXAPI_AUDIO_HOSTS',
        '.aliyuncs.com,.minimaxi.com,.minimax.io,.minimax.chat',
      ),
      clonePerMinute: read.positiveInteger('DMXAPI_CLONE_PER_MINUTE', 30),
      speechPerMinute: read.positiveInteger('DMXAPI_SPEECH_PER_MINUTE', 10),
    },
    speech: {
      maxChars: readSpeechMaxChars(read),
      userDailyChars: read.positiveInteger('USER_DAILY_SPEECH_CHARS', 20_000),
    },
    limits: readAudioLimits(read),
    downloadTimeoutMs: read.positiveInteger('DOWNLOAD_TIMEOUT_MS', 60_000),
    maxConcurrentUploads,
    maxQueuedUploads: read.positiveInteger('MAX_QUEUED_UPLOADS', 20),
    inspection: {
      timeoutMs: read.positiveInteger('INSPECT_TIMEOUT_MS', 5000),
      workers: read.positiveInteger('INSPECT_WORKERS', maxConcurrentUploads),
    },
    conversion: {
      maxInputBytes: readMaxInputBytes(read),
      ffmpegPath: read.text('FFMPEG_PATH', 'ffmpeg'),
      timeoutMs: read.positiveInteger('CONVERT_TIMEOUT_MS', 30_000),
    },
    shutdownGraceMs: read.positiveInteger('SHUTDOWN_GRACE_MS', 30_000),
    access: {
      allowedGuildIds: read.idList('ALLOWED_GUILD_IDS'),
      allowedRoleIds: read.idList('ALLOWED_ROLE_IDS'),
      userDailyUploadLimit: read.positiveInteger('USER_DAILY_UPLOAD_LIMIT', 50),
      userCooldownSeconds: read.seconds('USER_COOLDOWN_SECONDS', 15),
    },
    dataDir: read.text('DATA_DIR', './data'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, process.stdout.isTTY ? 'pretty' : 'json'),
    health: healthPort === undefined ? undefined : { port: healthPort, host: healthHost },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return deepFreeze(config);
}

/** SPEECH_MAX_CHARS, read alike by the bot and by `npm run register`. */
function readSpeechMaxChars(read: EnvReader): number {
  return read.positiveInteger('SPEECH_MAX_CHARS', 2000, MAX_SPEECH_CHARS);
}

/** The largest attachment downloaded, before any conversion. */
function readMaxInputBytes(read: EnvReader): number {
  return read.positiveInteger('MAX_INPUT_BYTES', 100 * 1024 * 1024);
}

/** MAX_AUDIO_BYTES and the duration ranges: read alike by the bot and by `npm run register`. */
function readAudioLimits(read: EnvReader): AudioLimits {
  return {
    maxBytes: read.positiveInteger('MAX_AUDIO_BYTES', DEFAULT_AUDIO_LIMITS.maxBytes),
    duration: {
      voice_clone: read.durationRange(
        'VOICE_CLONE_MIN_SECONDS',
        'VOICE_CLONE_MAX_SECONDS',
        DEFAULT_AUDIO_LIMITS.duration.voice_clone,
      ),
      prompt_audio: read.durationRange(
        'PROMPT_AUDIO_MIN_SECONDS',
        'PROMPT_AUDIO_MAX_SECONDS',
        DEFAULT_AUDIO_LIMITS.duration.prompt_audio,
      ),
    },
  };
}

export interface RegistrationConfig {
  readonly token: string;
  readonly apiUrl: string;
  /** The same limits the bot checks, so the registered labels state them. */
  readonly limits: AudioLimits;
  readonly maxInputBytes: number;
  readonly speechMaxChars: number;
}

/** Just what `npm run register` needs: registering commands must not require the DMXAPI key. */
export function loadRegistrationConfig(env: NodeJS.ProcessEnv = process.env): RegistrationConfig {
  loadDotenv({ quiet: true, processEnv: env });
  const read = new EnvReader(env);
  const config = {
    token: read.secret('DISCORD_TOKEN', DISCORD_TOKEN_SHAPE),
    apiUrl: read.url('DISCORD_API_URL', 'https://discord.com/api'),
    limits: readAudioLimits(read),
    maxInputBytes: readMaxInputBytes(read),
    speechMaxChars: readSpeechMaxChars(read),
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/** discord.js adds the "Bot " prefix itself; the DMXAPI key goes out as-is, with no "Bearer ". */
const DISCORD_TOKEN_SHAPE =
  'paste the bare token from the Developer Portal, Bot → Reset Token: no "Bot " prefix, quotes or line break';
const DMXAPI_KEY_SHAPE = 'send the bare key, with no "Bearer " prefix';

/** RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens. */
const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The only names whose values are credentials; pasted anywhere else, they are still never shown. */
const SECRET_NAMES = ['DISCORD_TOKEN', 'DMXAPI_API_KEY'] as const;

/** Hosts whose traffic never leaves the machine, where plain http carries the key no further. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

class EnvReader {
  readonly problems: string[] = [];
  readonly #env: Env;
  readonly #secrets: string[];

  constructor(env: Env) {
    this.#env = env;
    this.#secrets = SECRET_NAMES.flatMap((name) => this.#raw(name) ?? []);
  }

  /** A value as a problem repeats it: quoted, or withheld when it may be a credential. */
  #quote(value: string): string {
    if (looksLikeSecret(value, this.#secrets)) {
      return 'a value that looks like a secret (not shown)';
    }
    return `"${value}"`;
  }

  #raw(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === '' ? undefined : value;
  }

  /** Required; its value is never repeated in a message. `shape` says what a pasted value should look like. */
  secret(name: string, shape: string): string {
    const value = this.#raw(name);
    if (value === undefined) {
      this.problems.push(`${name} is required but not set`);
      return '';
    }
    if (/\s/.test(value)) this.problems.push(`${name} contains white space (${shape})`);
    return value;
  }

  /** An address to listen on: an IP address or a host name (resolved when the server starts). */
  listenHost(name: string, fallback: string): string {
    const value = this.#raw(name) ?? fallback;
    if (isIP(value) !== 0 || HOST_NAME.test(value)) return value;
    this.problems.push(
      `${name} must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only, :: for IPv6) or a host name, got ${this.#quote(value)}`,
    );
    return fallback;
  }

  text(name: string, fallback: string): string {
    return this.#raw(name) ?? fallback;
  }

  url(name: string, fallback: string): string {
    const value = this.#raw(name) ?? fallback;
    const url = URL.parse(value);
    if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      this.problems.push(`${name} must be an https:// URL, got ${this.#quote(value)}`);
      return fallback;
    }
    // The key and the bot token travel in these requests' headers.
    if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
      this.problems.push(
        `${name} must use https:// (plain http only for a loopback host: localhost, 127.x.x.x, [::1]), got ${this.#quote(value)}`,
      );
      return fallback;
    }
    return value.replace(/\/+$/, '');
  }

  hostList(name: string, fallback: string): string[] {
    const value = this.#raw(name) ?? fallback;
    const typed = value
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host !== '');
    const hosts = typed.map((host) => host.toLowerCase());
    // A leading dot (`.example.com`) is a suffix; otherwise every label must be non-empty.
    const invalid = typed.filter((host) => !/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$|^\[[0-9a-f:]+\]$/i.test(host));
    if (hosts.length === 0) this.problems.push(`${name} must list at least one host name`);
    if (invalid.length > 0) {
      this.problems.push(
        `${name} must hold bare host names separated by commas, got ${invalid.map((host) => this.#quote(host)).join(', ')}`,
      );
    }
    return hosts;
  }

  positiveInteger(name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
    const value = this.#raw(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) <= 0 || !Number.isSafeInteger(Number(value))) {
      this.problems.push(`${name} must be a whole number above 0, got ${this.#quote(value)}`);
      return fallback;
    }
    if (Number(value) > max) {
      this.problems.push(`${name} may not exceed ${max}, got ${this.#quote(value)}`);
      return fallback;
    }
    return Number(value);
  }

  /** Comma-separated Discord ids (snowflakes); empty when unset. */
  idList(name: string): string[] {
    const ids = (this.#raw(name) ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    const invalid = ids.filter((id) => !/^\d{17,20}$/.test(id));
    if (invalid.length > 0) {
      this.problems.push(
        `${name} must hold Discord ids (17 to 20 digits) separated by commas, got ${invalid.map((id) => this.#quote(id)).join(', ')}`,
      );
    }
    return ids;
  }

  /** A TCP port (0 picks a free one), or undefined when unset. */
  optionalPort(name: string): number | undefined {
    const value = this.#raw(name);
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value) || Number(value) > 65535) {
      this.problems.push(`${name} must be a port number from 0 to 65535, got ${this.#quote(value)}`);
      return undefined;
    }
    return Number(value);
  }

  seconds(name: string, fallback: number): number {
    const value = this.#raw(name);
    if (value === undefined) return fallback;
    const seconds = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds)) {
      this.problems.push(`${name} must be a number of seconds (0 or more), got ${this.#quote(value)}`);
      return fallback;
    }
    return seconds;
  }

  durationRange(
    minName: string,
    maxName: string,
    fallback: AudioLimits['duration']['voice_clone'],
  ): AudioLimits['duration']['voice_clone'] {
    const minSeconds = this.seconds(minName, fallback.minSeconds);
    const maxSeconds = this.seconds(maxName, fallback.maxSeconds);
    if (maxSeconds <= minSeconds) {
      this.problems.push(`${maxName} (${maxSeconds}) must be greater than ${minName} (${minSeconds})`);
    }
    return { minSeconds, maxSeconds, maxExclusive: fallback.maxExclusive };
  }

  oneOf<const T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.#raw(name);
    if (raw === undefined) return fallback;
    const value = raw.toLowerCase();
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be one of ${allowed.join(', ')}, got ${this.#quote(raw)}`);
    return fallback;
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
