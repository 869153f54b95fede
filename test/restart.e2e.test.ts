import { describe, expect, it } from 'vitest';
import { makeWav } from './support/audio.ts';
import type { RunningBotProcess } from './support/start-bot.ts';
import { ERROR_COLOR, fileIdIn, sendUpload, type UploadCase, whenEdited } from './support/upload-flow.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

/** The bot as its own process, as `npm start` runs it, so a real SIGTERM reaches it. */
async function startProcess(env: Record<string, string> = {}): Promise<RunningBotProcess> {
  // About restarts, not reading files: a loaded machine must not make a WAV "too complex".
  const r = await bots.start({ env: { INSPECT_TIMEOUT_MS: '60000', ...env }, process: true });
  return r;
}

function upload(r: RunningBotProcess, c: UploadCase) {
  return sendUpload(r.discord, bots.dmxapi, { timeoutMs: 30_000, ...c });
}

describe('a restart', () => {
  it(
    'on SIGTERM answers every queued upload that it did not start, and sends none of them to DMXAPI',
    { timeout: 60_000 },
    async () => {
      const r = await startProcess({ MAX_CONCURRENT_UPLOADS: '1' });
      const answer = bots.heldAnswer();
      bots.dmxapi.script({ kind: 'success', fileId: '4242', until: answer.until });
      const before = bots.dmxapi.received.length;
      const started = upload(r, { fileName: 'started.wav', bytes: makeWav(10.1) });
      await bots.dmxapi.waitForRequests(before + 1);
      const queued = [10.2, 10.3, 10.4].map((seconds, i) =>
        upload(r, { fileName: `queued-${i}.wav`, bytes: makeWav(seconds) }),
      );
      await whenEdited(r.discord, 'in the queue', 3, 20_000);

      r.process.signal('SIGTERM');
      await r.process.waitForLog((line) => line.msg === 'shutting down: finishing uploads in flight');
      const atSignal = bots.dmxapi.received.length;

      for (const result of await Promise.all(queued)) {
        expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
        expect(result.text).toContain('restarting');
        expect(result.text).toContain('did not start');
        expect(result.text).toContain('Run the command again');
      }
      // The started one finishes within the grace period, is recorded, and answered before the exit.
      answer.release();
      expect(fileIdIn((await started).final)).toBe('4242');
      expect(await r.process.exited).toEqual({ code: 0, signal: null });
      expect(bots.dmxapi.received.length).toBe(atSignal);
      expect(r.process.logs.some((line) => line.msg === 'upload succeeded' && line.fileId === '4242')).toBe(
        true,
      );
    },
  );
});
