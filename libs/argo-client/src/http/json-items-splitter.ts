import { StringDecoder } from 'node:string_decoder';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * Cuts the elements of a JSON list response's top-level `items` array out of the body as its
 * chunks arrive (`{"metadata":{...},"items":[{...},{...}]}`), so that a list the server cannot
 * page is parsed one object at a time instead of as one string and one array of every object.
 * It tracks only nesting and strings; the elements themselves are left to JSON.parse, which also
 * rejects a malformed body.
 */
export class JsonItemsSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last string closed directly inside the top-level object: the key before a value. */
  private key = '';
  /** Whether the open string sits directly in the top-level object (a key, or a string value). */
  private collecting = false;
  /** Text of such a string begun in an earlier chunk. */
  private keyPartial = '';
  private inItems = false;
  /** Text of an element begun in an earlier chunk. */
  private partial = '';
  private itemOpen = false;

  /** The complete elements (as JSON text) that this chunk finished. */
  push(chunk: Buffer): string[] {
    const text = this.decoder.write(chunk);
    const out: string[] = [];
    let start = this.itemOpen ? 0 : -1;
    let keyStart = this.collecting ? 0 : -1;
    for (let i = 0; i < text.length; i += 1) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.collecting) this.key = this.keyPartial + text.slice(keyStart, i);
          this.collecting = false;
          this.keyPartial = '';
          keyStart = -1;
        }
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        this.collecting = this.depth === 1;
        keyStart = i + 1;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (this.inItems && this.depth === 2 && c === OPEN_BRACE) {
          start = i;
          this.itemOpen = true;
        }
        if (this.depth === 1 && c === OPEN_BRACKET) this.inItems = this.key === 'items';
        this.depth += 1;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth -= 1;
        if (this.inItems && this.depth === 2 && c === CLOSE_BRACE && this.itemOpen) {
          out.push(this.partial + text.slice(start, i + 1));
          this.partial = '';
          this.itemOpen = false;
          start = -1;
        }
        if (this.depth === 1) this.inItems = false;
      }
    }
    if (this.itemOpen) this.partial += text.slice(Math.max(start, 0));
    if (this.collecting) this.keyPartial += text.slice(Math.max(keyStart, 0));
    return out;
  }

  /** Whether the body ended where a complete JSON document does. */
  get complete(): boolean {
    return this.depth === 0 && !this.inString && !this.itemOpen;
  }
}
