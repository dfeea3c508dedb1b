// Time travel: a slider (from the first entry to the store's clock) and a date field. Any position but the
// right end sets the clock every read uses (as_of); the right end is "now" and follows live changes.

import { clock, get } from './api.js';
import { time } from './format.js';

export class TimeTravel {
  /** @param {{ onChange: () => void }} options */
  constructor({ onChange }) {
    this.onChange = onChange;
    this.slider = document.getElementById('timetravel-slider');
    this.date = document.getElementById('timetravel-date');
    this.label = document.getElementById('timetravel-label');
    this.slider.addEventListener('input', () => this.showLabel(Number(this.slider.value)));
    this.slider.addEventListener('change', () => this.set(Number(this.slider.value)));
    this.date.addEventListener('change', () => {
      if (this.date.value) this.set(new Date(this.date.value).getTime());
    });
    document.getElementById('timetravel-now').addEventListener('click', () => this.set(null));
  }

  /** Reads the range: the first entry's time (a one-entry tail from the start) to the store's clock. */
  async load() {
    const [first, info] = await Promise.all([
      get('/tail?timeout_ms=0&max_count=1', { timeTravel: false }),
      get('/info', { timeTravel: false }),
    ]);
    const start = first.events.length ? first.events[0].physical_ms : info.physical_ms;
    this.slider.min = String(start);
    this.extend(info.physical_ms);
  }

  /** A change arrived: the range grows to its time (and "now" stays at the right end). */
  extend(ms) {
    const atEnd = clock.asOf === null;
    if (Number(ms) > Number(this.slider.max)) this.slider.max = String(ms);
    if (atEnd) this.slider.value = this.slider.max;
  }

  /** Moves the clock: null (or the right end) for now. */
  set(ms) {
    const now = ms === null || ms >= Number(this.slider.max);
    clock.asOf = now ? null : String(Math.max(0, Math.floor(ms)));
    this.slider.value = now ? this.slider.max : String(ms);
    this.date.value = now ? '' : localInputValue(ms);
    this.showLabel(now ? null : ms);
    document.body.classList.toggle('past', !now);
    this.onChange();
  }

  showLabel(ms) {
    const now = ms === null || ms >= Number(this.slider.max);
    this.label.textContent = now ? 'now' : `as of ${time(ms)}`;
    this.label.dataset.asOf = now ? '' : String(Math.floor(ms));
  }
}

/** The value a datetime-local field takes for this instant, in the browser's time zone. */
function localInputValue(ms) {
  const local = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 23);
}
