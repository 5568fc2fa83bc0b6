// @ts-check
// A minimal Server-Sent Events reader over a fetch() body: fetch can send the Authorization
// header (EventSource cannot) and ends with the stream, which is what a one-task stream does.

/** @typedef {{ event: string, id: string | undefined, data: unknown }} SseEvent */

/**
 * Yields each event of an SSE body as {event, id, data} (data parsed as JSON when it is JSON).
 * Comments (the heartbeat) and `retry:` lines are skipped.
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<SseEvent>}
 */
export async function* readSse(body) {
  const decoder = new TextDecoder();
  let buffer = '';
  /** @type {{ event: string, id: string | undefined, data: string[] }} */
  let frame = { event: 'message', id: undefined, data: [] };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      if (line === '') {
        if (frame.data.length > 0)
          yield { event: frame.event, id: frame.id, data: parse(frame.data.join('\n')) };
        frame = { event: 'message', id: undefined, data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') frame.event = value;
      else if (field === 'id') frame.id = value;
      else if (field === 'data') frame.data.push(value);
    }
  }
}

/** @param {string} text @returns {unknown} */
function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
