/**
 * A small `text/event-stream` reader for a fetch response body, following the HTML standard's parsing rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation): lines end with
 * CRLF, LF or CR; a blank line dispatches the message; `:` starts a comment; one space after the colon is dropped;
 * `data` lines join with LF; the last `id` carries over to later messages; an unfinished message at the end is dropped.
 */

/** One dispatched message. */
export interface SseMessage {
  /** The `event` field, `message` when the message has none. */
  readonly event: string;
  /** The `data` lines, joined with LF. */
  readonly data: string;
  /** The last event id seen so far (the `id` of this message or of an earlier one), if any. */
  readonly lastEventId: string | undefined;
}

/** The messages of an event stream as they arrive; leaving the loop early cancels the body (and its connection). */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  const fields = new MessageFields();
  let buffer = "";
  let finished = false;
  try {
    while (!finished) {
      const chunk = await reader.read();
      finished = chunk.done;
      buffer += finished ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      for (let line = takeLine(); line !== undefined; line = takeLine()) {
        const message = fields.accept(line);
        if (message) yield message;
      }
    }
  } finally {
    if (!finished) await reader.cancel();
    reader.releaseLock();
  }

  /** The next complete line, or undefined when the buffer holds none yet (a CR at its end may be the start of CRLF). */
  function takeLine(): string | undefined {
    const end = buffer.search(/[\r\n]/);
    if (end < 0) return undefined;
    let next = end + 1;
    if (buffer[end] === "\r") {
      if (next === buffer.length && !finished) return undefined;
      if (buffer[next] === "\n") next++;
    }
    const line = buffer.slice(0, end);
    buffer = buffer.slice(next);
    return line;
  }
}

/** The fields of the message being read. */
class MessageFields {
  private event = "";
  private data: string[] = [];
  private lastEventId: string | undefined;

  /** Takes one line; returns the message a blank line completes. */
  accept(line: string): SseMessage | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.event = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastEventId = value;
        break;
      default:
        // `retry` and unknown fields do not change the message.
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const message = this.data.length === 0
      ? undefined
      : { event: this.event === "" ? "message" : this.event, data: this.data.join("\n"), lastEventId: this.lastEventId };
    this.event = "";
    this.data = [];
    return message;
  }
}
