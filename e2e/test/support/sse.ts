/** One event of a `text/event-stream` body. */
export interface SseEvent {
  /** The `event:` field (`'message'` when absent, as an EventSource reports it). */
  event: string;
  id?: string;
  data: string;
}

/**
 * Parses a complete `text/event-stream` body: events are separated by a blank line; `data:` lines are
 * joined with newlines; a line that starts with `:` is a comment; one space after the colon is dropped.
 */
export function parseSse(body: string): SseEvent[] {
  const events: SseEvent[] = [];
  let current: { event?: string; id?: string; data: string[] } = { data: [] };
  const flush = () => {
    if (current.data.length > 0 || current.event !== undefined) {
      events.push({ event: current.event ?? 'message', id: current.id, data: current.data.join('\n') });
    }
    current = { data: [] };
  };
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') current.event = value;
    else if (field === 'id') current.id = value;
    else if (field === 'data') current.data.push(value);
  }
  flush();
  return events;
}
