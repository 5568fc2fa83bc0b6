import type { IncomingMessage } from 'node:http';

/**
 * Calls `onRecord` with each record of a streamed response, records ending with `separator`:
 * "\n\n" for Server-Sent Events frames, "\n" for Kubernetes watch lines.
 */
export function onRecords(res: IncomingMessage, separator: string, onRecord: (record: string) => void): void {
  let buffer = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    buffer += chunk;
    let end = buffer.indexOf(separator);
    while (end !== -1) {
      const record = buffer.slice(0, end);
      buffer = buffer.slice(end + separator.length);
      end = buffer.indexOf(separator);
      onRecord(record);
    }
  });
}
