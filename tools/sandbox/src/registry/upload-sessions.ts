import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What distribution packs into an upload's `_state` (registry/handlers/hmac.go), field names included. */
export interface UploadState {
  Name: string;
  UUID: string;
  Offset: number;
  StartedAt: string;
}

export interface Upload {
  uuid: string;
  repository: string;
  startedAt: string;
  size: number;
  file: string;
}

/**
 * Blob uploads in progress: each appends to a file under the data dir, and every response hands
 * the client an HMAC-signed `_state` token (`base64url(hmac || json)`, as distribution does) that
 * the next request must bring back.
 */
export class UploadSessions {
  private readonly uploads = new Map<string, Upload>();
  private readonly secret = randomBytes(32);

  constructor(private readonly root: string) {}

  start(repository: string): Upload {
    const uuid = randomUUID();
    const file = path.join(this.root, '_uploads', uuid);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const upload = { uuid, repository, startedAt: goTime(new Date()), size: 0, file };
    this.uploads.set(uuid, upload);
    return upload;
  }

  get(uuid: string): Upload | undefined {
    return this.uploads.get(uuid);
  }

  append(upload: Upload, bytes: Buffer): void {
    if (bytes.length === 0) return;
    fs.appendFileSync(upload.file, bytes);
    upload.size += bytes.length;
  }

  async contents(upload: Upload): Promise<Buffer> {
    return fs.promises.readFile(upload.file);
  }

  finish(upload: Upload): void {
    this.uploads.delete(upload.uuid);
    fs.rmSync(upload.file, { force: true });
  }

  clear(): void {
    for (const upload of this.uploads.values()) fs.rmSync(upload.file, { force: true });
    this.uploads.clear();
  }

  pack(upload: Upload): string {
    const state: UploadState = {
      Name: upload.repository,
      UUID: upload.uuid,
      Offset: upload.size,
      StartedAt: upload.startedAt,
    };
    const json = Buffer.from(JSON.stringify(state));
    return Buffer.concat([this.mac(json), json])
      .toString('base64url')
      .padEnd(paddedLength(json), '=');
  }

  /** The state a token carries, or undefined when it is not one this registry signed. */
  unpack(token: string): UploadState | undefined {
    let bytes: Buffer;
    try {
      bytes = Buffer.from(token, 'base64url');
    } catch {
      return undefined;
    }
    if (bytes.length < 32) return undefined;
    const json = bytes.subarray(32);
    if (!timingSafeEqual(bytes.subarray(0, 32), this.mac(json))) return undefined;
    try {
      return JSON.parse(json.toString('utf8')) as UploadState;
    } catch {
      return undefined;
    }
  }

  private mac(bytes: Buffer): Buffer {
    return createHmac('sha256', this.secret).update(bytes).digest();
  }
}

/** base64.URLEncoding (padded) length of the token of `json`. */
function paddedLength(json: Buffer): number {
  return Math.ceil((32 + json.length) / 3) * 4;
}

/** Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros dropped). */
function goTime(date: Date): string {
  const iso = date.toISOString();
  const fraction = `${iso.slice(20, 23)}${String(process.hrtime.bigint() % 1_000_000n).padStart(6, '0')}`;
  const trimmed = fraction.replace(/0+$/, '');
  return `${iso.slice(0, 19)}${trimmed === '' ? '' : `.${trimmed}`}Z`;
}
