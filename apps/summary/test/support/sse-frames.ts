/** One parsed Server-Sent Event of a raw response text. */
export interface Frame {
  event: string;
  id: string | undefined;
  data: unknown;
}

/**
 * The complete events of a raw SSE text (comments and `retry:`-only blocks left out). The text
 * may end inside an event (it is read as it arrives): what follows the last blank line is left out.
 */
export function framesOf(text: string): Frame[] {
  const out: Frame[] = [];
  for (const block of text.split('\n\n').slice(0, -1)) {
    let event: string | undefined;
    let id: string | undefined;
    let data: string | undefined;
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id:')) id = line.slice(3).trim();
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (event !== undefined && data !== undefined) out.push({ event, id, data: JSON.parse(data) as unknown });
  }
  return out;
}
