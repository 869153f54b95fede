import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirError, describeDataDirProblem, prepareDataDir } from '../src/data-dir.ts';
import { BotProcess } from './support/bot-process.ts';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'data-dir-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('prepareDataDir', () => {
  it('creates a missing directory', async () => {
    const dir = join(root, 'state', 'bot');
    prepareDataDir(dir);
    await writeFile(join(dir, 'probe'), 'x');
  });

  it('follows a link to the real directory, as the image links /app/data to the /data volume', async () => {
    await mkdir(join(root, 'volume'));
    await mkdir(join(root, 'app'));
    await symlink(join(root, 'volume'), join(root, 'app', 'data'));
    prepareDataDir(join(root, 'app', 'data'));
    await writeFile(join(root, 'app', 'data', 'probe'), 'x');
    expect(await readFile(join(root, 'volume', 'probe'), 'utf8')).toBe('x');
  });

  it('says where, as whom, why and what to do when the directory cannot be made', async () => {
    await writeFile(join(root, 'a-file'), '');
    const dataDir = join(root, 'a-file', 'data');
    let thrown: unknown;
    try {
      prepareDataDir(dataDir);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DataDirError);
    const message = (thrown as Error).message;
    expect(message).toContain(`DATA_DIR "${dataDir}"`);
    expect(message).toContain('a file, not a directory, is in the way (ENOTDIR)');
    expect(message).toMatch(/cannot be written by user \S+ \(uid \d+\)/);
    expect(message).toContain('leave DATA_DIR out of the .env');
  });
});

describe('describeDataDirProblem', () => {
  it('names a relative path with the absolute one it means, and a refused permission', () => {
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir '/app/data'"), {
      code: 'EACCES',
    });
    const message = describeDataDirProblem('./data', denied);
    expect(message).toContain(`DATA_DIR "./data" (${join(process.cwd(), 'data')})`);
    expect(message).toContain('permission denied (EACCES)');
  });

  it('falls back to the system message for an unusual error', () => {
    const odd = Object.assign(new Error('ELOOP: too many symbolic links'), { code: 'ELOOP' });
    expect(describeDataDirProblem('/x', odd)).toContain('ELOOP: too many symbolic links');
  });
});

describe('the bot process', () => {
  it('stops at start with that message when DATA_DIR cannot be written', async () => {
    await writeFile(join(root, 'a-file'), '');
    const bot = await BotProcess.start({
      DISCORD_TOKEN: 'token-unused',
      DMXAPI_API_KEY: 'sk-unused',
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      DATA_DIR: join(root, 'a-file', 'data'),
      LOG_FORMAT: 'json',
    });
    try {
      expect((await bot.exited).code).toBe(1);
      const fatal = bot.logs.find((line) => line.level === 60);
      expect(fatal?.msg).toContain('a file, not a directory, is in the way (ENOTDIR)');
      expect(fatal?.msg).toContain('leave DATA_DIR out of the .env');
    } finally {
      await bot.dispose();
    }
  });
});
