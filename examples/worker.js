// A Cloudflare Worker in front of a bucket (or any origin): set ORIGIN in wrangler's `vars`.
import { createFetchGuard } from 'oss-source-guard/fetch';

const guard = createFetchGuard(
  {
    rules: [{ prefix: 'image/' }],
    extensions: ['jpg', 'jpeg', 'png'],
    delimiters: ['!'],
    styles: ['small', 'thumb'],
  },
  { bucket: 'examplebucket' },
);

export default {
  async fetch(request, env) {
    const denied = await guard(request);
    if (denied) return denied;
    const url = new URL(request.url);
    return fetch(new URL(url.pathname + url.search, env.ORIGIN), request);
  },
};
