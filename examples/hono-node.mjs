// Hono on Node.js: the guard is middleware in front of the static files.
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { ossSourceGuard } from 'oss-source-guard/hono';

const app = new Hono();

app.use(
  ossSourceGuard(
    {
      rules: [{ prefix: 'image/' }],
      extensions: ['jpg', 'jpeg', 'png'],
      delimiters: ['!'],
      styles: ['small', 'thumb'],
    },
    { bucket: 'examplebucket' },
  ),
);
app.use(serveStatic({ root: process.env.ROOT ?? './public' }));

serve(
  { fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 8080) },
  (info) => {
    console.log(`listening on http://127.0.0.1:${info.port}`);
  },
);
