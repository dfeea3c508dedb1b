// Follows GET /tail as Server-Sent Events, starting with the last RECENT entries of the log (GET /tail?last=),
// so the page opens on the recent changes and goes on from them with nothing missed or repeated. The browser resumes a dropped stream by itself (it sends the last
// event id as Last-Event-ID); when the page itself opens a new EventSource (a new key, the Reconnect button,
// a stream the browser gave up on, e.g. after its token expired) it passes that same id as `cursor`, so no
// change is missed or repeated.

import { auth, streamCredential } from './api.js';

export const RECENT = 50;

export class LiveTail {
  /**
   * @param {{ onEntry: (event: object, id: string) => void, onCaughtUp: () => void,
   *           onState: (state: string) => void, onClosed: () => void }} handlers
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.source = null;
    // The cursor after the last event seen; null until the first one (the stream then starts at the last entries).
    this.cursor = null;
    this.retryTimer = null;
    // Bumped by every open and close: an open still fetching its token gives way to a later call.
    this.generation = 0;
  }

  async open() {
    this.close();
    const generation = ++this.generation;
    const url = new URL('/tail', location.origin);
    if (this.cursor === null) url.searchParams.set('last', String(RECENT));
    else url.searchParams.set('cursor', this.cursor);
    if (auth.key) {
      // EventSource cannot send headers: the credential goes in the query, as /tail accepts it.
      let credential;
      try {
        credential = await streamCredential();
      } catch {
        // Refused key or network failure: the page finds out which and asks for a key or retries.
        if (generation === this.generation) {
          this.handlers.onState('offline');
          this.handlers.onClosed();
        }
        return;
      }
      if (generation !== this.generation) return;
      url.searchParams.set('access_token', credential);
    }
    const source = new EventSource(url);
    this.source = source;
    this.handlers.onState('connecting');
    source.onopen = () => this.handlers.onState('live');
    source.addEventListener('entry', (e) => {
      this.cursor = e.lastEventId;
      this.handlers.onEntry(JSON.parse(e.data), e.lastEventId);
    });
    source.addEventListener('up-to-date', (e) => {
      if (e.lastEventId) this.cursor = e.lastEventId;
      this.handlers.onState('live');
      this.handlers.onCaughtUp();
    });
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CONNECTING) {
        this.handlers.onState('reconnecting');
        return;
      }
      // The browser gave up (an answer that was not an event stream, e.g. 401 or 410): the page decides.
      this.handlers.onState('offline');
      this.source = null;
      source.close();
      this.handlers.onClosed();
    };
  }

  /** Opens again after a pause (the server may be restarting). */
  reopenLater(ms) {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), ms);
  }

  close() {
    this.generation++;
    clearTimeout(this.retryTimer);
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }
}
