// An uploaded file's bytes as text, checked to be UTF-8 as they stream in:
// a UTF-8 byte-order mark is dropped, a UTF-16 one refused (Excel's
// "Unicode text" saves UTF-16; users need to pick "CSV UTF-8"), and the
// first byte that is not UTF-8 (or a NUL, which no CSV holds) is refused
// with the line it is on, so the user can find it.

export class EncodingError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

// How many bytes the sequence a lead byte starts should have (0: not a lead).
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1;
  if (byte >= 0xc2 && byte <= 0xdf) return 2;
  if (byte >= 0xe0 && byte <= 0xef) return 3;
  if (byte >= 0xf0 && byte <= 0xf4) return 4;
  return 0;
}

// The offset of the first byte that starts no valid UTF-8 sequence
// (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF).
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const n = sequenceLength(b);
    if (n === 0 || i + n > bytes.length) return i;
    if (n > 1) {
      const b1 = bytes[i + 1]!;
      const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
      if (b1 < lo || b1 > hi) return i;
      for (let k = 2; k < n; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += n;
  }
  return -1;
}

// Where a piece of bytes stops holding whole characters: a sequence begun in
// its last three bytes may finish in the next piece.
function wholeCharacters(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const n = sequenceLength(b);
    return n > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function countLineFeeds(bytes: Uint8Array, to: number): number {
  let n = 0;
  for (let i = 0; i < to; i++) if (bytes[i] === 10) n++;
  return n;
}

export class Utf8Reader {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private carry: Uint8Array = new Uint8Array(0);
  private started = false;
  private lines = 0;

  // The text of the next piece; throws EncodingError at the first bad byte.
  read(piece: Uint8Array, final = false): string {
    let bytes = piece;
    if (this.carry.length) {
      bytes = new Uint8Array(this.carry.length + piece.length);
      bytes.set(this.carry);
      bytes.set(piece, this.carry.length);
    }
    if (!this.started) {
      if (bytes.length < 3 && !final) {
        this.carry = bytes;
        return '';
      }
      this.started = true;
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        throw new EncodingError('The file is UTF-16 text; save it as "CSV UTF-8" and upload it again', null);
      }
      if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    const whole = final ? bytes.length : wholeCharacters(bytes);
    this.carry = bytes.slice(whole);
    const complete = bytes.subarray(0, whole);
    let text: string;
    try {
      text = this.decoder.decode(complete);
    } catch {
      const bad = firstInvalidByte(complete);
      const line = this.lines + countLineFeeds(complete, bad === -1 ? complete.length : bad) + 1;
      throw new EncodingError(`Line ${line} holds bytes that are not UTF-8 text; save the file as "CSV UTF-8" and upload it again`, line);
    }
    const nul = text.indexOf('\u0000');
    if (nul !== -1) {
      const line = this.lines + countLineFeeds(complete, new TextEncoder().encode(text.slice(0, nul)).length) + 1;
      throw new EncodingError(`Line ${line} holds a NUL character, which no text file has; is this really a CSV file?`, line);
    }
    this.lines += countLineFeeds(complete, complete.length);
    return text;
  }
}
