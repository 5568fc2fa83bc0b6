import type { IncomingMessage } from 'node:http';
import type { PageSink } from '@platform/watch';
import { JsonItemsSplitter } from '../http/json-items-splitter';

/**
 * Reads a list response whose server cannot page it (Argo CD's List takes no limit or continue:
 * it answers every matching Application from its informer cache, sorted by name) and hands the
 * items on in pages of `pageSize` while the body is still arriving. Neither the whole body nor
 * every parsed object is held at once: only the current page and the element being received.
 * Rejects when the body ends early, breaks, or stays silent for `idleMs`.
 */
export function readListInPages<I>(
  res: IncomingMessage,
  onPage: PageSink<I>,
  options: { pageSize: number; idleMs: number },
): Promise<void> {
  const splitter = new JsonItemsSplitter();
  let page: I[] = [];
  let first = true;
  return new Promise<void>((resolve, reject) => {
    let idle = setTimeout(onIdle, options.idleMs);
    let settled = false;
    function settle(error?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      if (error === undefined) return resolve();
      res.destroy();
      reject(error);
    }
    function onIdle(): void {
      settle(new Error(`the list sent nothing for ${options.idleMs} ms`));
    }
    res.on('data', (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(onIdle, options.idleMs);
      try {
        for (const text of splitter.push(chunk)) {
          page.push(JSON.parse(text) as I);
          if (page.length < options.pageSize) continue;
          onPage(page, { first, last: false });
          first = false;
          page = [];
        }
      } catch (error) {
        settle(new Error(`unreadable list: ${(error as Error).message}`, { cause: error }));
      }
    });
    res.on('end', () => {
      if (!splitter.complete) return settle(new Error('the list ended before its body was complete'));
      if (settled) return;
      onPage(page, { first, last: true });
      settle();
    });
    res.on('error', (error) => settle(error));
    res.on('close', () => settle(new Error('the list connection closed')));
  });
}
