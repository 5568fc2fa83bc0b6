import { redactUrl } from './redact-url';

describe(redactUrl.name, () => {
  it.each([
    ['/s?access_token=abc', '/s?access_token=[redacted]'],
    ['/s?access%5Ftoken=abc&topics=a', '/s?access%5Ftoken=[redacted]&topics=a'],
    ['/s?ACCESS_TOKEN=abc', '/s?ACCESS_TOKEN=[redacted]'],
    ['/s?Access_Token=abc&access_token=def', '/s?Access_Token=[redacted]&access_token=[redacted]'],
    ['/s?ticket=t1&lastEventId=5', '/s?ticket=[redacted]&lastEventId=5'],
    ['/s?%61ccess_token=abc', '/s?%61ccess_token=[redacted]'],
    ['/s?%E0%A4%A=abc', '/s?[redacted]'],
    ['/s?topics=status:shop', '/s?topics=status:shop'],
    ['/s', '/s'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
