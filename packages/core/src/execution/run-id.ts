import { randomFillSync } from 'node:crypto';

/** Ids made per draw from the entropy source: one draw of 1 KiB serves 64 runs. */
const BATCH = 64;
const UUID_LENGTH = 36;
/** Every byte's two hex digits as one little-endian 16-bit word of ASCII codes, high digit first. */
const HEX_PAIRS = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  const hex = b.toString(16).padStart(2, '0');
  HEX_PAIRS[b] = hex.charCodeAt(0) | (hex.charCodeAt(1) << 8);
}
const DASH = 0x2d;
/** Where each of a UUID's 16 bytes goes in its 36 characters (8-4-4-4-12 hex digits). */
const OFFSETS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

const random = new Uint8Array(16 * BATCH);
const ascii = Buffer.alloc(UUID_LENGTH * BATCH);
// Pairs of digits land on odd offsets too: written through a DataView, which allows them.
const view = new DataView(ascii.buffer, ascii.byteOffset, ascii.byteLength);
let next = BATCH;

/** Draws the next batch's random bytes and writes them out as RFC 9562 version 4 UUIDs. */
function refill(): void {
  randomFillSync(random);
  for (let id = 0; id < BATCH; id++) {
    const r = id * 16;
    const o = id * UUID_LENGTH;
    random[r + 6] = (random[r + 6]! & 0x0f) | 0x40; // version 4
    random[r + 8] = (random[r + 8]! & 0x3f) | 0x80; // variant 10
    for (let j = 0; j < 16; j++) view.setUint16(o + OFFSETS[j]!, HEX_PAIRS[random[r + j]!]!, true);
    ascii[o + 8] = ascii[o + 13] = ascii[o + 18] = ascii[o + 23] = DASH;
  }
  next = 0;
}

/**
 * A new run id: a random (version 4) UUID. Run ids reach clients (in error bodies) and may key
 * records, so they come from the CSPRNG and must not be guessable.
 *
 * Not `crypto.randomUUID()`, which builds each id from 20 concatenated pieces: a tree of string
 * pieces of some 500 bytes per id, that the engine flattens later. With 1,000 runs in flight, that garbage
 * alone cost a fifth of a run's time. Decoded from a batch of ASCII bytes, an id is one flat string.
 */
export function newRunId(): string {
  if (next === BATCH) refill();
  const at = UUID_LENGTH * next++;
  return ascii.toString('latin1', at, at + UUID_LENGTH);
}
