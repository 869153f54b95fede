import { accessSync, constants, mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';

/** DATA_DIR cannot hold the bot's state; the message says where, as whom, why and what to do. */
export class DataDirError extends Error {}

/** The system's reasons, in words an operator acts on. */
const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a file, not a directory, is in the way',
  EEXIST: 'a file, not a directory, is in the way',
  ENOSPC: 'the disk is full',
};

/** Creates DATA_DIR if needed and fails the start, with a message to act on, when it cannot be written. */
export function prepareDataDir(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch (error) {
    throw new DataDirError(describeDataDirProblem(dataDir, error), { cause: error });
  }
}

export function describeDataDirProblem(dataDir: string, error: unknown): string {
  const absolute = resolve(dataDir);
  const where = absolute === dataDir ? `"${dataDir}"` : `"${dataDir}" (${absolute})`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = code === undefined ? undefined : REASONS[code];
  const reason = known ? `${known} (${code ?? ''})` : error instanceof Error ? error.message : String(error);
  return (
    `DATA_DIR ${where} cannot be written by ${currentUser()}: ${reason}. ` +
    'Set DATA_DIR to a directory this user may write, or make this one writable. ' +
    'In the Docker image, leave DATA_DIR out of the .env given to docker run: the image keeps its state ' +
    'in the /data volume.'
  );
}

function currentUser(): string {
  const uid = process.getuid?.();
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // A container user with no passwd entry has a uid only.
  }
  return `user ${name ?? '(unnamed)'}${uid === undefined ? '' : ` (uid ${uid})`}`;
}
