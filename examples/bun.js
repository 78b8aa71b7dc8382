// Bun: `bun bun.js` (`bun add oss-source-guard` first).
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
const origin = process.env.ORIGIN ?? 'https://examplebucket.oss-cn-hangzhou.aliyuncs.com';

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8080),
  async fetch(request) {
    const denied = await guard(request);
    if (denied) return denied;
    const url = new URL(request.url);
    return fetch(new URL(url.pathname + url.search, origin), request);
  },
});
console.log(`listening on ${server.url}`);
