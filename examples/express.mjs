// Express 5: the guard is middleware; put it before the handlers that serve objects.
import express from 'express';
import { createNodeGuard } from 'oss-source-guard/node';

const app = express();

app.use(
  createNodeGuard(
    {
      rules: [{ prefix: 'image/' }],
      extensions: ['jpg', 'jpeg', 'png'],
      delimiters: ['!'],
      styles: ['small', 'thumb'],
    },
    {
      bucket: 'examplebucket',
      verify: {
        getSecret: (id) =>
          id === process.env.OSS_ACCESS_KEY_ID ? process.env.OSS_ACCESS_KEY_SECRET : undefined,
      },
      onDecision: (decision, req) => {
        if (!decision.allow) console.log(`denied ${req.url}: ${decision.reason}`);
      },
    },
  ),
);
app.use(express.static(process.env.ROOT ?? 'public'));

const server = app.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
