import { readSse, SseParser, type SseMessage } from './sse-parser';

/** What a parser reports, in order. */
type Seen = { event: SseMessage } | { retry: number } | { lastEventId: string };

function parseAll(chunks: string[], lastEventId?: string): Seen[] {
  const seen: Seen[] = [];
  const parser = new SseParser(
    {
      event: (event) => seen.push({ event }),
      retry: (retry) => seen.push({ retry }),
      lastEventId: (id) => seen.push({ lastEventId: id }),
    },
    lastEventId,
  );
  chunks.forEach((chunk) => parser.push(chunk));
  return seen;
}

/** A ReadableStream of these byte chunks, as fetch hands a response body over. */
function bodyOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      chunks.forEach((chunk) => controller.enqueue(chunk));
      controller.close();
    },
  });
}

/** The events, and separately the retry and cursor reports (reported while a chunk is parsed). */
async function readAll(body: ReadableStream<Uint8Array>): Promise<{ events: Seen[]; others: Seen[] }> {
  const events: Seen[] = [];
  const others: Seen[] = [];
  const messages = readSse(body, {
    retry: (retry) => others.push({ retry }),
    lastEventId: (id) => others.push({ lastEventId: id }),
  });
  for await (const event of messages) events.push({ event });
  return { events, others };
}

// Everything the format allows that the platform's services (and proxies) send: a BOM, retry, a
// comment heartbeat, CRLF and lone CR line ends, multi-line data, an unnamed event, an id-only
// frame, non-ASCII text, and a last frame cut off before its blank line.
const STREAM =
  '\uFEFFretry: 2000\n\n' +
  ':\n\n' +
  'event: snapshot\nid: 1.1\ndata: {"task":{"id":"shop-create"},"logs":[]}\n\n' +
  ': heartbeat\r\n\r\n' +
  'event: log\r\nid: 1.2\r\ndata: {"line":"héllo ✓ 🚀"}\r\n\r\n' +
  'event: log\rid: 1.3\rdata: line one\rdata: line two\r\r' +
  'data:no space after the colon\n\n' +
  'id: 1.4\n\n' +
  'event: complete\nid: 1.5\ndata\nunknown: field\n\n' +
  'event: cut\ndata: never dispatched';

const EXPECTED: Seen[] = [
  { retry: 2000 },
  { lastEventId: '1.1' },
  { event: { event: 'snapshot', data: '{"task":{"id":"shop-create"},"logs":[]}', lastEventId: '1.1' } },
  { lastEventId: '1.2' },
  { event: { event: 'log', data: '{"line":"héllo ✓ 🚀"}', lastEventId: '1.2' } },
  { lastEventId: '1.3' },
  { event: { event: 'log', data: 'line one\nline two', lastEventId: '1.3' } },
  { event: { event: 'message', data: 'no space after the colon', lastEventId: '1.3' } },
  { lastEventId: '1.4' },
  { lastEventId: '1.5' },
  { event: { event: 'complete', data: '', lastEventId: '1.5' } },
];

describe(SseParser.name, () => {
  it('parses every kind of line the format allows', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events however the text is split in two', () => {
    for (let at = 0; at <= STREAM.length; at += 1) {
      expect(parseAll([STREAM.slice(0, at), STREAM.slice(at)])).toEqual(EXPECTED);
    }
  });

  it('gives the same events one character at a time', () => {
    expect(parseAll([...STREAM])).toEqual(EXPECTED);
  });

  it('keeps the cursor it resumed from for events without an id, and an empty id resets it', () => {
    expect(parseAll(['event: a\ndata: 1\n\nid\ndata: 2\n\n'], '7.3')).toEqual([
      { event: { event: 'a', data: '1', lastEventId: '7.3' } },
      { lastEventId: '' },
      { event: { event: 'message', data: '2', lastEventId: '' } },
    ]);
  });

  it('ignores an id containing NUL and a retry that is not a number', () => {
    expect(parseAll(['id: 1\0x\nretry: soon\ndata: x\n\n'])).toEqual([
      { event: { event: 'message', data: 'x', lastEventId: '' } },
    ]);
  });
});

describe(readSse.name, () => {
  const EXPECTED_READ = {
    events: EXPECTED.filter((s) => 'event' in s),
    others: EXPECTED.filter((s) => !('event' in s)),
  };
  const bytes = new TextEncoder().encode(STREAM);

  it('decodes UTF-8 split at every byte boundary (inside multi-byte characters too)', async () => {
    for (let at = 0; at <= bytes.length; at += 1) {
      expect(await readAll(bodyOf([bytes.slice(0, at), bytes.slice(at)]))).toEqual(EXPECTED_READ);
    }
  });

  it('decodes a body delivered one byte at a time', async () => {
    expect(await readAll(bodyOf([...bytes].map((b) => Uint8Array.of(b))))).toEqual(EXPECTED_READ);
  });
});
