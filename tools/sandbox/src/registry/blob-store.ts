import fs from 'node:fs';
import path from 'node:path';

/** Blobs at most this big may be kept in memory (configs and manifests are a few hundred bytes). */
const SMALL_BLOB_BYTES = 16 * 1024;

/**
 * Content-addressed blob storage, global to the registry as distribution's is (repositories only
 * link to blobs): small blobs in memory up to `memoryLimitBytes` in total, everything else in
 * files under `root` (the sandbox's data dir). An index keeps every blob's size, so existence
 * checks never touch the disk.
 */
export class BlobStore {
  private readonly sizes = new Map<string, number>();
  private readonly memory = new Map<string, Buffer>();
  private memoryBytes = 0;

  constructor(
    private readonly root: string,
    private readonly memoryLimitBytes = 64 * 1024 * 1024,
  ) {}

  size(digest: string): number | undefined {
    return this.sizes.get(digest);
  }

  has(digest: string): boolean {
    return this.sizes.has(digest);
  }

  async read(digest: string): Promise<Buffer> {
    const inMemory = this.memory.get(digest);
    if (inMemory !== undefined) return inMemory;
    return fs.promises.readFile(this.pathOf(digest));
  }

  /** The bytes of a small blob (a manifest) for callers that cannot wait (the simulated kubelet). */
  readSync(digest: string): Buffer {
    return this.memory.get(digest) ?? fs.readFileSync(this.pathOf(digest));
  }

  /** Stores bytes already known to have `digest` (the caller verified it). */
  put(digest: string, bytes: Buffer): void {
    if (this.sizes.has(digest)) return;
    if (bytes.length <= SMALL_BLOB_BYTES && this.memoryBytes + bytes.length <= this.memoryLimitBytes) {
      this.memory.set(digest, bytes);
      this.memoryBytes += bytes.length;
    } else {
      const file = this.pathOf(digest);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
    }
    this.sizes.set(digest, bytes.length);
  }

  delete(digest: string): void {
    const inMemory = this.memory.get(digest);
    if (inMemory !== undefined) this.memoryBytes -= inMemory.length;
    this.memory.delete(digest);
    if (this.sizes.delete(digest) && inMemory === undefined) fs.rmSync(this.pathOf(digest), { force: true });
  }

  clear(): void {
    this.sizes.clear();
    this.memory.clear();
    this.memoryBytes = 0;
    fs.rmSync(path.join(this.root, 'blobs'), { recursive: true, force: true });
  }

  /** distribution's layout: `blobs/<algorithm>/<first two hex>/<hex>`. */
  private pathOf(digest: string): string {
    const [algorithm = '', hex = ''] = digest.split(':');
    return path.join(this.root, 'blobs', algorithm, hex.slice(0, 2), hex);
  }
}
