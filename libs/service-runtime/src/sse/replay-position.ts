/**
 * Where a client is in one replayable stream: which log it read (`epoch`, random per log), how far
 * (`seq`), and whether that was the stream's last event (`end`: nothing will ever follow it).
 */
export interface ReplayPosition {
  epoch: string;
  seq: number;
  end: boolean;
}

/** The text form, as it goes out in `id:`: `<epoch>.<seq>`, `.end` appended on a stream's last event. */
export function formatReplayPosition(position: ReplayPosition): string {
  return `${position.epoch}.${position.seq}${position.end ? END_SUFFIX : ''}`;
}

/**
 * Reads a position strictly: anything else (another format, a made-up value) is undefined, never
 * misread as a place in a log.
 */
export function parseReplayPosition(text: string): ReplayPosition | undefined {
  const match = POSITION.exec(text);
  if (match === null) return undefined;
  const seq = Number(match[2]);
  if (!Number.isSafeInteger(seq)) return undefined;
  return { epoch: match[1] ?? '', seq, end: match[3] !== undefined };
}

/** Epochs are 6 random bytes in base64url: 8 characters. */
export const EPOCH_LENGTH = 8;
const END_SUFFIX = '.end';
const POSITION = /^([A-Za-z0-9_-]{8})\.(\d{1,15})(\.end)?$/;
