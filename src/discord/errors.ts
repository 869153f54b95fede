/** Failures of the Discord layer itself; each has its own reply. */
export class GuildOnlyError extends Error {
  readonly code = 'guild_only';
  constructor() {
    super('command used outside a server');
  }
}

export class UnknownCommandError extends Error {
  readonly code = 'unknown_command';
  readonly commandName: string;
  constructor(commandName: string) {
    super(`no handler for command "${commandName}"`);
    this.commandName = commandName;
  }
}

export class ShuttingDownError extends Error {
  readonly code = 'shutting_down';
  constructor() {
    super('the bot is shutting down and takes no new uploads');
  }
}

/** An upload still running when the shutdown grace period ended. */
export class UploadCutOffError extends Error {
  readonly code = 'cut_off_by_shutdown';
  constructor() {
    super('upload cut off by shutdown');
  }
}
