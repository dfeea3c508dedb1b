// Every call the page makes to the Silk API: the API key (if any) and the time-travel clock are applied here.

const KEY_STORAGE = 'silk.apiKey';

/** Thrown when the server answers 401: the page asks for a key and tries again. */
export class Unauthorized extends Error {
  constructor(detail) {
    super(detail || 'An API key is needed.');
    this.name = 'Unauthorized';
  }
}

/** A non-2xx answer, with the problem+json detail when there is one. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(`${status}: ${detail}`);
    this.status = status;
  }
}

// Kept for the life of the tab only: a key must not outlive the session on a shared machine.
export const auth = {
  get key() { return sessionStorage.getItem(KEY_STORAGE) || ''; },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value);
    else sessionStorage.removeItem(KEY_STORAGE);
  },
};

// The clock reads are made at: null for the current state, else "<physical_ms>[.<logical>]".
let asOf = null;
export const clock = {
  get asOf() { return asOf; },
  set asOf(value) { asOf = value; },
};

/** GET path (with as_of added when `timeTravel` and a clock is set) as JSON; null for a 404 when `allow404`. */
export async function get(path, { timeTravel = true, allow404 = false } = {}) {
  const url = new URL(path, location.origin);
  if (timeTravel && asOf !== null) url.searchParams.set('as_of', asOf);
  const headers = { Accept: 'application/json' };
  if (auth.key) headers.Authorization = `Bearer ${auth.key}`;
  const response = await fetch(url, { headers });
  if (response.status === 401) throw new Unauthorized(await detailOf(response));
  if (response.status === 404 && allow404) return null;
  if (!response.ok) throw new ApiError(response.status, await detailOf(response));
  return response.json();
}

async function detailOf(response) {
  try {
    const body = await response.json();
    return body.detail || body.title || response.statusText;
  } catch {
    return response.statusText;
  }
}

/**
 * A short-lived token for the event stream (POST /auth/tail-token), so that the key itself stays out of URLs.
 * A server that issues none (404 before tokens existed, 409 with auth off) gets the key itself, which /tail
 * also accepts as access_token. Throws Unauthorized when the key is refused.
 */
export async function streamCredential() {
  const response = await fetch(new URL('/auth/tail-token', location.origin), {
    method: 'POST',
    headers: { Accept: 'application/json', Authorization: `Bearer ${auth.key}` },
  });
  if (response.status === 401) throw new Unauthorized(await detailOf(response));
  if (!response.ok) return auth.key;
  return (await response.json()).access_token;
}

/** A path segment: ids may hold any character. */
export const seg = (id) => encodeURIComponent(id);
