// Deno: `deno run --allow-net --allow-env deno.js` (`deno add npm:oss-source-guard` first).
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
const origin = Deno.env.get('ORIGIN') ?? 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

Deno.serve(
  { hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8080) },
  async (request) => {
    const denied = await guard(request);
    if (denied) return denied;
    const url = new URL(request.url);
    return fetch(new URL(url.pathname + url.search, origin), request);
  },
);
