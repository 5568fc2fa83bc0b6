import { formatSse, formatSseComment } from './sse-format';

describe(formatSse.name, () => {
  it.each([
    [{ event: 'task', data: { a: 1 } }, 'event: task\ndata: {"a":1}\n\n'],
    [{ event: 'task', id: '7', data: 'x' }, 'event: task\nid: 7\ndata: "x"\n\n'],
    [{ event: 'bye', retry: 1500, data: null }, 'event: bye\nretry: 1500\ndata: null\n\n'],
    [
      { event: 'a\nid: forged', id: '1\r\n2', data: 'multi\nline' },
      'event: a id: forged\nid: 1  2\ndata: "multi\\nline"\n\n',
    ],
  ])('encodes %j', (message, frame) => {
    expect(formatSse(message)).toBe(frame);
  });

  it('encodes comments', () => {
    expect(formatSseComment()).toBe(':\n\n');
    expect(formatSseComment('hi')).toBe(': hi\n\n');
  });
});
