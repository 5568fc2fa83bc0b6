import { cursorSegment, formatCursor, parseCursor, topicTag } from './multiplex-cursor';

describe(parseCursor.name, () => {
  const status = topicTag('status:shop');
  const task = topicTag('task:shop-ci-1');

  it('reads back every position it was made of, the ended ones too', () => {
    const cursor = formatCursor([
      cursorSegment(status, 'AbCdEfGh.12'),
      undefined,
      cursorSegment(task, 'ZyXwVuTs.40.end'),
    ]);
    expect(cursor).toMatch(/^m1~[\w-]{4}\.AbCdEfGh\.12~[\w-]{4}\.ZyXwVuTs\.40\.end$/);
    expect(parseCursor(cursor)).toEqual(
      new Map([
        [status, { epoch: 'AbCdEfGh', seq: 12, end: false }],
        [task, { epoch: 'ZyXwVuTs', seq: 40, end: true }],
      ]),
    );
  });

  it.each([
    ['no cursor', undefined],
    ['a single topic id', 'AbCdEfGh.12'],
    ['another version', `m2~${status}.AbCdEfGh.12`],
    ['the base64 JSON of the first release', 'eyJzdGF0dXM6c2hvcCI6IkFiQ2RFZkdoLjEyIn0'],
    ['a damaged position', `m1~${status}.AbCdEfGh.x~${task}.ZyXwVuTs.4`],
    ['a segment without tag', 'm1~AbCdEfGh.12'],
  ])('gives no position for %s (every topic then starts from a snapshot)', (_what, cursor) => {
    expect(parseCursor(cursor)).toEqual(new Map());
  });

  it('drops a tag that appears twice, since it cannot tell which topic each is', () => {
    const cursor = formatCursor([
      cursorSegment(status, 'AbCdEfGh.1'),
      cursorSegment(status, 'ZyXwVuTs.2'),
      cursorSegment(task, 'ZyXwVuTs.3'),
    ]);
    expect([...parseCursor(cursor).keys()]).toEqual([task]);
  });
});
