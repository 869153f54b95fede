import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * In a fresh process (modules load once per process), inspects each named file in turn and reports
 * whether music-metadata had been asked for after each.
 */
async function parserLoadedAfter(files: readonly string[]): Promise<boolean[]> {
  const script = `
    import { registerHooks } from 'node:module';
    import { readFileSync } from 'node:fs';
    let loaded = false;
    registerHooks({
      resolve(specifier, context, next) {
        if (specifier === 'music-metadata') loaded = true;
        return next(specifier, context);
      },
    });
    const { inspectAudio } = await import('./src/pipeline/inspect.ts');
    const { makeWav } = await import('./test/support/audio.ts');
    const answers = [];
    for (const file of ${JSON.stringify(files)}) {
      const bytes = file === 'made.wav' ? makeWav(12) : readFileSync('test/fixtures/' + file);
      await inspectAudio(new Uint8Array(bytes));
      answers.push(loaded);
    }
    console.log(JSON.stringify(answers));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
  });
  return JSON.parse(stdout) as boolean[];
}

describe('inspection loads music-metadata only for a file that needs it', () => {
  // It holds about 19 MB once loaded, in each audio worker and on the main thread (npm run bench).
  it('reads WAV and MP3 with our own code, and loads the parser for the first M4A', async () => {
    expect(await parserLoadedAfter(['made.wav', 'voice-12s.mp3', 'voice-12s.m4a'])).toEqual([
      false,
      false,
      true,
    ]);
  });
});
