// Node.js `node:http`: the guard answers denied requests; your handler serves the rest.
import { createServer } from 'node:http';
import { createNodeGuard } from 'oss-source-guard/node';

const guard = createNodeGuard(
  {
    rules: [{ prefix: 'image/' }],
    extensions: ['jpg', 'jpeg', 'png'],
    delimiters: ['!'],
    styles: ['small', 'thumb'],
  },
  {
    bucket: 'examplebucket', // the bucket behind this host: a custom domain names none
    verify: {
      // Signed URLs and Authorization headers are verified, not only detected.
      getSecret: (id) =>
        id === process.env.OSS_ACCESS_KEY_ID ? process.env.OSS_ACCESS_KEY_SECRET : undefined,
    },
  },
);

const server = createServer(async (req, res) => {
  if (!(await guard(req, res))) return; // denied: OSS's XML error has been sent
  res.setHeader('content-type', 'text/plain');
  res.end(`the object behind ${req.url}\n`);
});

server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
