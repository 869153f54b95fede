import { afterAll, afterEach, beforeAll } from 'vitest';
import { DmxapiStandIn } from './dmxapi-stand-in.ts';
import {
  startBot,
  type ProcessOptions,
  type RunningBot,
  type RunningBotProcess,
  type StartBotOptions,
} from './start-bot.ts';

/** A DMXAPI answer held back (a script's `until`) until the test calls release(), or the test ends. */
export interface HeldAnswer {
  readonly until: Promise<void>;
  release(): void;
}

export interface E2eBots {
  /** The file's DMXAPI stand-in; its scripts are cleared after each test. */
  readonly dmxapi: DmxapiStandIn;
  /** startBot() against the file's DMXAPI stand-in; the bot is stopped after the test. */
  start(options: StartBotOptions & { process: true | ProcessOptions }): Promise<RunningBotProcess>;
  start(options?: StartBotOptions): Promise<RunningBot>;
  /** An answer to hold back; released at the latest when the test ends, before its bots stop. */
  heldAnswer(): HeldAnswer;
}

/**
 * The lifecycle every end-to-end file shares: one DMXAPI stand-in for the file, and each bot a
 * test starts stopped after that test with its data removed, newest first (a restarted bot stops
 * before the one whose Discord stand-in it reuses). Call it at the top of the file.
 */
export function e2eBots(): E2eBots {
  let dmxapi: DmxapiStandIn | undefined;
  const running: (RunningBot | RunningBotProcess)[] = [];
  const held: HeldAnswer[] = [];
  beforeAll(async () => {
    dmxapi = await DmxapiStandIn.start();
  });
  afterEach(async () => {
    // A test that failed while holding an answer must not leave a bot waiting for it at stop().
    for (const answer of held.splice(0)) answer.release();
    dmxapi?.clearScripts();
    for (const bot of running.splice(0).reverse()) await bot.stop({ removeData: true });
  });
  afterAll(async () => {
    await dmxapi?.close();
  });
  const standIn = (): DmxapiStandIn => {
    if (!dmxapi) throw new Error('e2eBots() is used inside tests only');
    return dmxapi;
  };
  async function start(
    options: StartBotOptions & { process?: true | ProcessOptions } = {},
  ): Promise<RunningBot | RunningBotProcess> {
    const bot =
      options.process === undefined
        ? await startBot(standIn(), options)
        : await startBot(standIn(), { ...options, process: options.process });
    running.push(bot);
    return bot;
  }
  return {
    get dmxapi() {
      return standIn();
    },
    start: start as E2eBots['start'],
    heldAnswer() {
      let release!: () => void;
      const until = new Promise<void>((resolve) => (release = resolve));
      const answer = { until, release };
      held.push(answer);
      return answer;
    },
  };
}
