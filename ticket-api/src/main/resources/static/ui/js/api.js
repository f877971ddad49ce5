// Every call to the API goes through here: the bearer token comes from sessionStorage and is sent
// in the Authorization header only, never in a URL.

const TOKEN_KEY = 'tf.token';
const BASE = '/api/v1/';

export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  save(token) {
    sessionStorage.setItem(TOKEN_KEY, token.trim());
  },
  forget() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A failed call: the HTTP status and the problem+json body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    const fields = (problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`);
    super([problem?.detail || problem?.title || `HTTP ${status}`, ...fields].join('; '));
    this.status = status;
    this.problem = problem;
  }

  static async of(response) {
    let problem = null;
    try {
      const type = response.headers.get('Content-Type') || '';
      if (type.includes('json')) {
        problem = await response.json();
      }
    } catch {
      // a body that is not JSON leaves only the status to report
    }
    return new ApiError(response.status, problem);
  }
}

/** Sends a request to {@code path} (relative to /api/v1/); rejects with an ApiError unless 2xx. */
export async function request(path, { method = 'GET', accept = 'application/json', signal } = {}) {
  const token = session.token();
  if (!token) {
    throw new ApiError(401, { detail: 'no token' });
  }
  const response = await fetch(BASE + path, {
    method,
    signal,
    headers: { Accept: accept, Authorization: `Bearer ${token}` },
    credentials: 'omit',
  });
  if (response.status === 401) {
    window.dispatchEvent(new CustomEvent('tf:unauthorized'));
  }
  if (!response.ok) {
    throw await ApiError.of(response);
  }
  return response;
}

export async function getJson(path, options) {
  return (await request(path, options)).json();
}

/** A binary response as a Blob, with the file name its Content-Disposition gives. */
export async function getBlob(path, options) {
  const response = await request(path, { accept: '*/*', ...options });
  return { blob: await response.blob(), filename: fileName(response.headers.get('Content-Disposition')) };
}

/** Downloads {@code path} with the token and hands it to the browser as a saved file. */
export async function saveFile(path, fallbackName) {
  const { blob, filename } = await getBlob(path);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename || fallbackName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // the download has its own copy once click() returned; a delay keeps slow browsers safe
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name: link.download, size: blob.size };
}

function fileName(disposition) {
  if (!disposition) {
    return null;
  }
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    return decodeURIComponent(star[1]);
  }
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1] : null;
}

/** Builds a query string from the defined, non-empty values of {@code params}. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
