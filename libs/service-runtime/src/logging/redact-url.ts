/** Query parameters whose value is a credential (compared by decoded, lowercased name). */
const SENSITIVE = /token|ticket|secret|password|key|signature|code/;
const REDACTED = '[redacted]';

/**
 * A request URL fit for the logs: every query parameter whose decoded name looks like a
 * credential has its value replaced. Names are decoded as the query parser decodes them, so
 * `access%5Ftoken`, `ACCESS_TOKEN` and repeated parameters are all caught; a parameter whose name
 * cannot be decoded is redacted whole. The path and the other parameters stay as sent.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark < 0) return url;
  const query = url
    .slice(mark + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      const name = decodedName(rawName);
      if (name === undefined) return REDACTED;
      return SENSITIVE.test(name.toLowerCase()) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, mark)}?${query}`;
}

function decodedName(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
