import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
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

describe('the command that starts the bot', () => {
  it('is the same, with the same memory settings, in npm start, the Dockerfile and the README', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    // exec: the shell npm starts becomes node, so npm's forwarded signals reach the bot itself.
    const start = /^exec env ((?:[A-Z_]+=\S+ )+)(node .*)$/.exec(pkg.scripts.start ?? '');
    const assignments = (start?.[1] ?? '').trim().split(' ');
    const command = start?.[2] ?? '';
    expect(assignments).toEqual([
      'MALLOC_ARENA_MAX=2',
      'MALLOC_MMAP_THRESHOLD_=131072',
      'NODE_COMPILE_CACHE=node_modules/.cache/node-compile-cache',
    ]);
    expect(command).toBe('node --max-semi-space-size=1 src/main.ts');

    const dockerfile = (await readFile(join(ROOT, 'Dockerfile'), 'utf8')).replace(/\\\n/g, ' ');
    expect((JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]') as string[]).join(' ')).toBe(command);
    const imageEnv = /^ENV (.*)$/m.exec(dockerfile)?.[1]?.split(/\s+/) ?? [];
    for (const assignment of assignments) expect(imageEnv).toContain(assignment);
    // The image's user (node) must be able to write the compile cache, or every start is a cold one.
    expect(dockerfile).toMatch(/chown node:node [^\n]*node_modules\/\.cache\/node-compile-cache/);

    const readme = (await readFile(join(ROOT, 'README.md'), 'utf8')).replace(/\s+/g, ' ');
    expect(readme).toContain(`run \`${command}\` in the project directory with \`${assignments.join(' ')}\``);
  });
});

describe('the Node version', () => {
  it('npm install on Node 22 stops with a message naming the requirement', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'engine-check-'));
    try {
      for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
        await copyFile(join(ROOT, file), join(dir, file));
      }
      // npm compares the engines field with the version of the Node running it; make that 22.
      const preload = join(dir, 'node-22.mjs');
      await writeFile(preload, "Object.defineProperty(process, 'version', { value: 'v22.12.0' });\n");
      const npmCli = process.env.npm_execpath?.endsWith('npm-cli.js')
        ? process.env.npm_execpath
        : join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
      const args = [
        'install',
        '--dry-run',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--cache',
        join(dir, 'cache'),
      ];
      const { code, output } = await run(process.execPath, ['--import', preload, npmCli, ...args], dir);
      expect(output).toContain('EBADENGINE');
      expect(output).toContain('Required: {"node":">=24"}');
      expect(code).not.toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
