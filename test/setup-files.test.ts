import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * `docker run --env-file` as Docker reads the file (opts/envfile.go): leading white space trimmed,
 * `#` lines and blank lines skipped, and everything after the first `=` kept literally: no quotes
 * removed, no inline comment cut, trailing white space kept.
 */
function parseDockerEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    const line = raw.trimStart();
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    const name = equals === -1 ? line : line.slice(0, equals);
    if (name === '' || /\s/.test(name)) throw new Error(`docker refuses the line "${raw}"`);
    if (equals !== -1) values[name] = line.slice(equals + 1);
  }
  return values;
}

/** `.env.example` with every commented-out setting switched on, as an operator would edit it. */
async function exampleWithEverySettingOn(): Promise<string> {
  const text = await readFile(join(ROOT, '.env.example'), 'utf8');
  return text.replace(/^# ([A-Z][A-Z0-9_]*=)/gm, '$1');
}

describe('.env.example', () => {
  it('means the same to `docker run --env-file` as to dotenv, with every setting switched on', async () => {
    const text = await exampleWithEverySettingOn();
    const docker = parseDockerEnvFile(text);
    // Enough settings are switched on for the check to mean something.
    expect(Object.keys(docker).length).toBeGreaterThan(20);
    expect(docker).toEqual(parseDotenv(text));
  });

  it('is a valid configuration under `docker run --env-file` once the required values are filled in', async () => {
    const docker = parseDockerEnvFile(await exampleWithEverySettingOn());
    const config = parseConfig({ ...docker, DISCORD_TOKEN: 'token', DMXAPI_API_KEY: 'sk-key' });
    expect(config.logFormat).toBe('json');
    expect(config.health).toEqual({ port: 8080, host: '0.0.0.0' });
    expect(config.access.allowedGuildIds).toEqual([]);
  });

  it('names every variable the configuration reads', async () => {
    const docker = parseDockerEnvFile(await exampleWithEverySettingOn());
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const documented = [...readme.matchAll(/^\| `([A-Z][A-Z0-9_]*)` /gm)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(20);
    expect(Object.keys(docker).sort()).toEqual([...documented].sort());
  });
});
